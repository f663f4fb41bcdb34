#!/usr/bin/env python3
"""Summary of a bench/realtime.sh run as markdown.

  summary.py WORK ROUNDS COMMIT WRK_ARGS

WORK holds results.tsv (wrk runs, memory, CPU of the insert-only phases) and load.KIND.R.json
(what bench/realtime/load.mjs reported for round R; KIND rt: the sockets, ctl: the control run
with the same inserts and no socket).
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


def loads_of(work, kind, rounds):
    out = {}
    for r in range(1, rounds + 1):
        p = os.path.join(work, f"load.{kind}.{r}.json")
        if os.path.exists(p):
            out[r] = json.load(open(p))
    return out


def main():
    work, rounds, commit, wrk_args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    rows = parse(os.path.join(work, "results.tsv"))
    loads = loads_of(work, "rt", rounds)
    controls = loads_of(work, "ctl", rounds)
    any_load = next(iter(loads.values()), {})
    out = []
    w = out.append
    w(f"### Realtime: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}")
    w("")
    w(f"{any_load.get('sockets', '?')} sockets joined (vsn 2.0.0, anon key), "
      f"{any_load.get('subscribers', '?')} of them with their user's token and an INSERT binding on "
      f"their own interview's responses; {any_load.get('rate', '?')} inserts/s spread over those "
      f"users; REST with {wrk_args} (list: run.sh's `list` as 50 of the base users, insert: run.sh's "
      f"`insert` as the other 50); {rounds} rounds. Load average at the end: "
      f"{' '.join(open('/proc/loadavg').read().split()[:3])}.")
    w("")

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

    cpu = {(label, kv["round"]): kv for label, kv in rows if label.startswith("alone-")}
    w("| round | phase | inserted (201) | delivered once | missing | duplicated | latency p50 / p99 / max ms | insert HTTP p50 / p99 ms | CPU % of 200 server / load.mjs |")
    w("| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |")
    alone_p99, alone_max, failures = [], [], []
    names = {"alone": "inserts only", "list": "+ wrk list", "insert": "+ wrk insert"}
    for kind, reps in (("ctl", controls), ("rt", loads)):
        for r, rep in reps.items():
            for name, ph in rep["phases"].items():
                lat, ins = ph["latency_ms"], ph["insert_http_ms"]
                c = cpu.get((f"alone-{kind}", str(r))) if name == "alone" else None
                c = f"{c['server_cpu']} / {c['load_cpu']}" if c else "-"
                label = names.get(name, name)
                if kind == "ctl":
                    w(f"| {r} | control, no socket: {label} | {ph['inserted']:,} | - | - | - | - | "
                      f"{fnum(ins['p50'])} / {fnum(ins['p99'])} | {c} |")
                    continue
                if name == "alone":
                    alone_p99.append(lat["p99"])
                    alone_max.append(lat["max"])
                w(f"| {r} | {label} | {ph['inserted']:,} | {ph['delivered'] - ph['duplicated']:,} | "
                  f"{ph['missing']} | {ph['duplicated']} | {fnum(lat['p50'])} / {fnum(lat['p99'])} / "
                  f"{fnum(lat['max'])} | {fnum(ins['p50'])} / {fnum(ins['p99'])} | {c} |")
                if ph["missing"] or ph["duplicated"] or ph["failed"]:
                    statuses = ", ".join(f"{n} as {st}" for st, n in ph.get("failed_as", {}).items())
                    failures.append(f"round {r} {name}: {ph['failed']} inserts failed"
                                    f"{f' ({statuses})' if statuses else ''}, "
                                    f"{ph['missing']} missing, {ph['duplicated']} duplicated")
            if kind == "rt":
                pr = rep["problems"]
                if rep["foreign"] or any(pr.values()):
                    failures.append(f"round {r}: {rep['foreign']} deliveries to a socket not the "
                                    "owner's, " + ", ".join(f"{k} {v}" for k, v in pr.items()))
    w("")
    for r, rep in loads.items():
        d = rep["clientLoopDelayMs"]
        pr = rep["problems"]
        w(f"- round {r}: deliveries to a socket other than the owner's: {rep['foreign']}; "
          f"socket closes / errors / join errors / unexpected frames / unanswered heartbeats: "
          f"{pr['closed']} / {pr['errors']} / {pr['joinErrors']} / {pr['unexpectedFrames']} / "
          f"{pr['heartbeatsUnanswered']}; load.mjs event-loop delay p99 {d['p99']:.1f} ms, "
          f"max {d['max']:.1f} ms")
        for what in rep.get("firstProblems", []):
            w(f"  - {what}")
    w("")

    w("| scenario | without (rounds) | control: inserts, no socket (rounds) | with Realtime (rounds) | median without / control / with | drop of the medians: control / with | p99 ms without / control / with | CPU % of 200 without; control; with Realtime: server / wrk / load.mjs / others |")
    w("| --- | --- | --- | --- | ---: | --- | --- | --- |")
    drops = {}
    for sc in ("list", "insert"):
        runs = {k: [kv for label, kv in rows if label == f"{sc}-{k}"] for k in ("without", "ctl", "rt")}
        if not runs["without"] or not runs["rt"]:
            continue
        med = {k: statistics.median(int(kv["rps"]) for kv in v) if v else None for k, v in runs.items()}
        p99 = {k: statistics.median(float(kv["p99_ms"]) for kv in v) if v else None
               for k, v in runs.items()}
        drop = {k: 100 * (med["without"] - med[k]) / med["without"] if med[k] else None
                for k in ("ctl", "rt")}
        # Each round's own drop, against the run without Realtime next to it in time: what the
        # target is judged on (the rounds of one configuration drift more than 10 % over minutes).
        without = {kv["round"]: int(kv["rps"]) for kv in runs["without"]}
        paired = {k: [100 * (without[kv["round"]] - int(kv["rps"])) / without[kv["round"]]
                      for kv in runs[k] if kv["round"] in without] for k in ("ctl", "rt")}
        drop["paired"] = {k: statistics.median(v) if v else None for k, v in paired.items()}
        drop["rounds"] = paired
        drops[sc] = drop
        rps = {k: ", ".join(kv["rps"] for kv in v) or "-" for k, v in runs.items()}
        c = " ; ".join(
            f"{statistics.median(int(kv['server_cpu']) for kv in v):.0f}/"
            f"{statistics.median(int(kv['wrk_cpu']) for kv in v):.0f}/"
            f"{statistics.median(int(kv['load_cpu']) for kv in v):.0f}/"
            f"{statistics.median(int(kv.get('other_cpu', 0)) for kv in v):.0f}"
            for v in runs.values() if v)
        bad = sum(int(kv.get("non2xx", 0)) for v in runs.values() for kv in v)
        w(f"| {sc} | {rps['without']} | {rps['ctl']} | {rps['rt']} | "
          f"{fnum(med['without'], 0)} / {fnum(med['ctl'], 0)} / {fnum(med['rt'], 0)} | "
          f"{fnum(drop['ctl'])} % / {fnum(drop['rt'])} % | "
          f"{fnum(p99['without'], 2)} / {fnum(p99['ctl'], 2)} / {fnum(p99['rt'], 2)} | {c} |"
          + (f" ({bad} non-2xx)" if bad else ""))
    w("")
    for sc, drop in drops.items():
        rounds_of = {k: ", ".join(f"{x:.1f}" for x in v) or "-" for k, v in drop["rounds"].items()}
        w(f"- {sc}: each round's drop against its own run without Realtime: with Realtime "
          f"{rounds_of['rt']} % (median {fnum(drop['paired']['rt'])} %); control "
          f"{rounds_of['ctl']} % (median {fnum(drop['paired']['ctl'])} %)")
    w("")

    w("| target | measured | |")
    w("| --- | --- | --- |")
    if per_socket:
        w(f"| idle memory per socket < 32 KiB | {per_socket[0]:.1f} KiB (round 1; later rounds "
          f"{', '.join(f'{x:.1f}' for x in per_socket[1:]) or '-'}) | "
          f"{'met' if per_socket[0] < 32 else 'NOT met'} |")
    if alone_p99:
        worst = max(alone_p99)
        w(f"| delivery p99 < 50 ms (inserts only, per round) | {', '.join(fnum(x) for x in alone_p99)} "
          f"ms (max {fnum(max(alone_max))}) | {'met' if worst < 50 else 'NOT met'} |")
    w(f"| every insert delivered exactly once, to its owner only | "
      f"{'yes' if not failures else '; '.join(failures)} | {'met' if not failures else 'NOT met'} |")
    for sc, drop in drops.items():
        judged = drop["paired"]["rt"]
        w(f"| REST {sc} drops < 10 % with Realtime (median of the rounds' own drops) | "
          f"{fnum(judged)} % (control without sockets: {fnum(drop['paired']['ctl'])} %; drop of "
          f"the medians {fnum(drop['rt'])} %) | {'met' if judged < 10 else 'NOT met'} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
