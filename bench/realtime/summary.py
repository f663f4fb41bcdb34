#!/usr/bin/env python3
"""Summary of a bench/realtime.sh run as markdown.

  summary.py WORK ROUNDS COMMIT WRK_ARGS

WORK holds results.tsv (wrk runs, memory, CPU of the insert-only phase) and load.R.json (what
bench/realtime/load.mjs reported for round R).
"""
import json
import os
import statistics
import sys
import time


def parse(path):
    rows = []
    for line in open(path):
        label, rest = line.rstrip("\n").split("\t", 1)
        kv = dict(f.split("=", 1) for f in rest.split() if "=" in f)
        rows.append((label, kv))
    return rows


def fnum(x, digits=1):
    return "-" if x is None else f"{x:,.{digits}f}"


def main():
    work, rounds, commit, wrk_args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    rows = parse(os.path.join(work, "results.tsv"))
    loads = {}
    for r in range(1, rounds + 1):
        p = os.path.join(work, f"load.{r}.json")
        if os.path.exists(p):
            loads[r] = json.load(open(p))
    any_load = next(iter(loads.values()), {})
    sockets = any_load.get("sockets", "?")
    subscribers = any_load.get("subscribers", "?")
    rate = any_load.get("rate", "?")
    out = []
    w = out.append
    w(f"### Realtime: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}")
    w("")
    w(f"{sockets} sockets joined (vsn 2.0.0, anon key), {subscribers} of them with their user's token "
      f"and an INSERT binding on their own interview's responses; {rate} inserts/s spread over those "
      f"users; REST with {wrk_args} (list: run.sh's `list` as 50 of the base users, insert: run.sh's "
      f"`insert` as the other 50); {rounds} rounds. Load average at the end: "
      f"{' '.join(open('/proc/loadavg').read().split()[:3])}.")
    w("")

    # Memory
    w("| round | joined | server VmRSS before / after (kB) | per socket |")
    w("| --- | ---: | ---: | ---: |")
    per_socket = []
    for label, kv in rows:
        if label != "memory":
            continue
        before, after, n = int(kv["rss_before_kb"]), int(kv["rss_after_kb"]), int(kv["sockets"])
        kib = (after - before) / n
        per_socket.append(kib)
        w(f"| {kv['round']} | {kv['joined']} | {before:,} / {after:,} | {kib:.1f} KiB |")
    w("")

    # Delivery
    cpu_alone = {kv["round"]: kv for label, kv in rows if label == "alone"}
    w("| round | phase | inserted (201) | delivered once | missing | duplicated | latency p50 / p99 / max ms | insert HTTP p50 / p99 ms | CPU % of 200 server / load.mjs |")
    w("| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |")
    alone_p99, alone_max, failures = [], [], []
    for r, rep in loads.items():
        for name, ph in rep["phases"].items():
            lat, ins = ph["latency_ms"], ph["insert_http_ms"]
            cpu = "-"
            if name == "alone" and str(r) in cpu_alone:
                cpu = f"{cpu_alone[str(r)]['server_cpu']} / {cpu_alone[str(r)]['load_cpu']}"
                alone_p99.append(lat["p99"])
                alone_max.append(lat["max"])
            label = {"alone": "inserts only", "list": "+ wrk list", "insert": "+ wrk insert"}.get(name, name)
            w(f"| {r} | {label} | {ph['inserted']:,} | {ph['delivered'] - ph['duplicated']:,} | "
              f"{ph['missing']} | {ph['duplicated']} | {fnum(lat['p50'])} / {fnum(lat['p99'])} / "
              f"{fnum(lat['max'])} | {fnum(ins['p50'])} / {fnum(ins['p99'])} | {cpu} |")
            if ph["missing"] or ph["duplicated"] or ph["failed"]:
                failures.append(f"round {r} {name}: {ph['failed']} inserts failed, "
                                f"{ph['missing']} missing, {ph['duplicated']} duplicated")
        pr = rep["problems"]
        if rep["foreign"] or any(pr.values()):
            failures.append(f"round {r}: {rep['foreign']} deliveries to a socket not the owner's, "
                            + ", ".join(f"{k} {v}" for k, v in pr.items()))
    w("")
    for r, rep in loads.items():
        d = rep["clientLoopDelayMs"]
        w(f"- round {r}: deliveries to a socket other than the owner's: {rep['foreign']}; "
          f"socket closes/errors/join errors/unexpected frames/unanswered heartbeats: "
          f"{rep['problems']['closed']}/{rep['problems']['errors']}/{rep['problems']['joinErrors']}/"
          f"{rep['problems']['unexpectedFrames']}/{rep['problems']['heartbeatsUnanswered']}; "
          f"load.mjs event-loop delay p99 {d['p99']:.1f} ms, max {d['max']:.1f} ms")
    w("")

    # REST
    w("| scenario | without Realtime (rounds) | with Realtime (rounds) | median without / with | drop | p99 ms without / with | CPU % of 200 with: server / wrk / load.mjs |")
    w("| --- | --- | --- | ---: | ---: | --- | --- |")
    drops = {}
    for sc in ("list", "insert"):
        wo = [kv for label, kv in rows if label == f"{sc}-without"]
        wi = [kv for label, kv in rows if label == f"{sc}-with"]
        if not wo or not wi:
            continue
        mwo = statistics.median(int(kv["rps"]) for kv in wo)
        mwi = statistics.median(int(kv["rps"]) for kv in wi)
        drop = 100 * (mwo - mwi) / mwo
        drops[sc] = drop
        p99wo = statistics.median(float(kv["p99_ms"]) for kv in wo)
        p99wi = statistics.median(float(kv["p99_ms"]) for kv in wi)
        cpu = " ; ".join(f"{kv['server_cpu']}/{kv['wrk_cpu']}/{kv['load_cpu']}" for kv in wi)
        bad = sum(int(kv.get("non2xx", 0)) for kv in wo + wi)
        w(f"| {sc} | {', '.join(kv['rps'] for kv in wo)} | {', '.join(kv['rps'] for kv in wi)} | "
          f"{mwo:,.0f} / {mwi:,.0f} | {drop:.1f} % | {p99wo:.2f} / {p99wi:.2f} | {cpu} |"
          + (f" ({bad} non-2xx)" if bad else ""))
    w("")

    # Targets
    w("| target | measured | |")
    w("| --- | --- | --- |")
    if per_socket:
        w(f"| idle memory per socket < 32 KiB | {per_socket[0]:.1f} KiB (round 1) | "
          f"{'met' if per_socket[0] < 32 else 'NOT met'} |")
    if alone_p99:
        worst = max(alone_p99)
        w(f"| delivery p99 < 50 ms (inserts only) | {', '.join(fnum(x) for x in alone_p99)} ms (max "
          f"{fnum(max(alone_max))}) | {'met' if worst < 50 else 'NOT met'} |")
    w(f"| every insert delivered exactly once, to its owner only | "
      f"{'yes' if not failures else '; '.join(failures)} | {'met' if not failures else 'NOT met'} |")
    for sc, drop in drops.items():
        w(f"| REST {sc} drops < 10 % | {drop:.1f} % | {'met' if drop < 10 else 'NOT met'} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
