#!/usr/bin/env python3
"""Start-up to first answer: how long `interviewbase serve` takes on an existing database from
exec to the first answered request (GET /health after the `listening on` line), repeated.

    python3 bench/startup.py BINARY DB [RUNS]

DB is copied to a temporary folder first (the original is not touched). Prints each run and
the median, p90 and max in milliseconds.
"""
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def one_run(binary, db):
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0", "--quiet",
                             "--log-requests", "false"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        if not line.startswith("listening on http://"):
            raise SystemExit(f"unexpected first line: {line!r}")
        port = int(line.rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/health")
        status = conn.getresponse().status
        elapsed = (time.perf_counter() - start) * 1000
        conn.close()
        if status != 200:
            raise SystemExit(f"/health answered {status}")
        return elapsed
    finally:
        proc.terminate()
        proc.wait()


def main():
    binary, source = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    work = tempfile.mkdtemp(prefix="ib-startup-")
    try:
        db = os.path.join(work, "startup.db")
        shutil.copyfile(source, db)
        size = os.path.getsize(db)
        times = [one_run(binary, db) for _ in range(runs)]
        for i, t in enumerate(times, 1):
            print(f"run {i}: {t:.1f} ms")
        times.sort()
        p90 = times[min(len(times) - 1, int(round(0.9 * len(times))) - 1)]
        print(f"database {size / 1e6:.1f} MB, {runs} runs: median {statistics.median(times):.1f} ms,"
              f" p90 {p90:.1f} ms, max {times[-1]:.1f} ms")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
