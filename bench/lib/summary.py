#!/usr/bin/env python3
"""Turns bench/run.sh's results.tsv into the markdown summary (stdout).

  summary.py RESULTS_TSV WORK_DIR COMMIT WRK_COMMAND
"""
import os
import platform
import statistics
import sys
import time

ORDER = [
    ("node-baseline", "Node.js node:http + better-sqlite3, guarded list"),
    ("cpp-baseline", "naive cpp-httplib + SQLiteCpp + nlohmann DOM, guarded list"),
    ("a-list", "(a) interviewbase: guarded list, select=*, newest 10"),
    ("b-service", "(b) interviewbase: same list, service_role + user_id=eq."),
    ("d-embed", "(d) list with select=*,interview_feedback(*)"),
    ("e-count", "(e) select=id&status=eq.completed, count=exact, limit=1"),
    ("node-insert", "Node.js peer: POST one full row (a synced commit per request)"),
    ("c-insert", "(c) POST one full row, return=representation"),
    ("f-complete", "(f) PATCH pending -> completed + overall_score (hooks)"),
    ("h-mixed", "(h) mixed: 90 % guarded list, 10 % insert, c8"),
    ("g-append", "(g) transcript: 50 interviews each append a row / 100 ms"),
    ("g-list", "(g) guarded list while those 50 append"),
]


def parse(path):
    runs = {}
    for line in open(path):
        label, rest = line.rstrip("\n").split("\t", 1)
        kv = dict(item.split("=", 1) for item in rest.split())
        runs.setdefault(label, []).append(kv)
    return runs


def median_run(runs):
    ordered = sorted(runs, key=lambda r: float(r["rps"]))
    return ordered[(len(ordered) - 1) // 2]


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main():
    results, work, commit, command = sys.argv[1:5]
    runs = parse(results)
    notes = []
    if os.path.exists(os.path.join(work, "notes.txt")):
        notes = [line.strip() for line in open(os.path.join(work, "notes.txt")) if line.strip()]
    out = []
    out.append(f"## bench/run.sh, {time.strftime('%Y-%m-%d %H:%M %Z')}, commit {commit}\n")
    out.append(f"Machine: {os.cpu_count()} cores ({cpu_model()}); wrk runs on the same machine. "
               f"Command per row: `{command} -s bench/wrk/scenario.lua` "
               "(BENCH_SCENARIO picks the row).\n")
    out.append("| scenario | req/s | p50 ms | p99 ms | non-2xx | CPU % of 200: server / wrk / others | rounds (req/s) |")
    out.append("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    med = {}
    for label, title in ORDER:
        if label not in runs:
            continue
        r = median_run(runs[label])
        med[label] = float(r["rps"])
        all_rps = ", ".join(x["rps"] for x in runs[label])
        out.append(f"| {title} | {float(r['rps']):,.0f} | {r['p50_ms']} | {r['p99_ms']} | "
                   f"{int(r['non2xx']) + int(r['socket_errors'])} | "
                   f"{r['server_cpu']} / {r['wrk_cpu']} / {r['other_cpu']} | {all_rps} |")
    out.append("")
    out.append("req/s is the median round (its latencies beside it); `others` is CPU used by "
               "processes other than the server and wrk during the run (noise).\n")

    def ratio(a, b):
        return f"{med[a] / med[b]:.2f}x" if a in med and b in med and med[b] else "n/a"

    def per_round(a, b):
        if a not in runs or b not in runs:
            return ""
        vals = [float(x["rps"]) / float(y["rps"]) for x, y in zip(runs[a], runs[b]) if float(y["rps"])]
        return " (per round: " + ", ".join(f"{v:.2f}" for v in vals) + ")"

    out.append("| ratio (medians) | value | target |")
    out.append("| --- | ---: | --- |")
    out.append(f"| (a) / Node baseline | {ratio('a-list', 'node-baseline')}{per_round('a-list', 'node-baseline')} | >= 3x |")
    out.append(f"| (a) / naive cpp-httplib baseline | {ratio('a-list', 'cpp-baseline')}{per_round('a-list', 'cpp-baseline')} | >= 1x |")
    out.append(f"| (a) guarded / (b) unguarded | {ratio('a-list', 'b-service')}{per_round('a-list', 'b-service')} | >= 0.85 |")
    out.append(f"| (c) insert / Node peer's insert | {ratio('c-insert', 'node-insert')} | >= 3x |")
    out.append(f"| (g) list while appending / (a) list | {ratio('g-list', 'a-list')} | >= 0.8 |")
    out.append("")
    out += [f"- {note}" for note in notes]
    wraps = {label: sum(int(r.get("wrapped", 0)) for r in rs) for label, rs in runs.items()}
    if wraps.get("f-complete"):
        out.append(f"\nWARNING: f-complete ran out of pending sessions ({wraps['f-complete']} wraps): "
                   "later PATCHes re-completed sessions.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
