#!/usr/bin/env python3
"""Instructions per request of one interviewbase binary, counted by callgrind: deterministic
where req/s on a shared VM drift by 10-20 % between runs (bench/instructions.sh runs this).

  instructions.py BIN SCENARIO N --data DIR [--warm W] [--keep FILE]

DIR holds a seeded, stopped database (bench.db) and what seed.py wrote beside it (users.tsv,
pending.tsv, anon.key, secret). The binary serves a private copy of it under
`valgrind --tool=callgrind`; lists on many connections at once, then W requests, warm it
(every worker thread's read connection, statement and token caches), the counters are zeroed,
N requests go one at a time over one keep-alive connection, and the counters are dumped.
Prints `SCENARIO BIN Ir/request=...`: every thread of the server counted (HTTP, the writer,
the sync and checkpoint threads), system calls and waits not. One
request at a time means one write per group-commit batch, so a write's COMMIT is not shared.
SCENARIO: list (run.sh's reference list, (a)), service (the same list as service_role with
user_id=eq., (b)), embed (the list with each session's feedback embedded, (d)), count (its
filtered exact count, (e)), insert (its full-row insert, return=representation, (c)) or
complete (its completion PATCH, each request a different pending session, (f))."""
import argparse
import collections
import glob
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

LIST = "/rest/v1/interview_sessions?select=*&order=created_at.desc&limit=10"
# run.sh's (d): the list with an embedded to-many relationship (a JSON subquery per row).
EMBED = "/rest/v1/interview_sessions?select=*,interview_feedback(*)&order=created_at.desc&limit=10"
# run.sh's (e): a filtered exact count. Cheap, so a statement compiled again per request shows.
COUNT = "/rest/v1/interview_sessions?select=id&status=eq.completed&limit=1"


def insert_body(uid, k):
    return json.dumps({
        "user_id": uid, "title": f"Bench insert {k}",
        "description": "A practice session created by the insert benchmark, with five questions.",
        "interview_type": "voice", "status": "pending",
        "metadata": {"company": "Acme", "role": "SRE",
                     "settings": {"voice": "alloy", "language": "en-US",
                                  "timer": {"enabled": True, "seconds": 1800}},
                     "tags": ["bench", "insert"]},
        "questions": [{"id": q, "text": f"Question {q}: how would you approach it?",
                       "category": "technical", "difficulty": "medium"} for q in range(5)]})


def warm_every_worker(port, users, anon):
    """Lists on more connections at once than the server has worker threads (4 per core, at
    least 16), a few each: every worker then serves some before the counters start. Each
    worker opens its own SQLite read connection at its first read (~17M instructions under
    callgrind); one request at a time over one connection reaches only the workers the reactor
    happens to pick, so a worker first seen in the counted window added ~8k to every request
    of 2,000 (the list varied by ~3 % between runs of one binary)."""
    clients = 2 * max(16, 4 * (os.cpu_count() or 1))

    def client(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        uid, token = users[i % len(users)][0], users[i % len(users)][1]
        for _ in range(4):
            conn.request("GET", LIST, headers={"apikey": anon, "Authorization": "Bearer " + token})
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("bin")
    p.add_argument("scenario", choices=["list", "service", "embed", "count", "insert", "complete"])
    p.add_argument("n", type=int)
    p.add_argument("--data", required=True)
    p.add_argument("--warm", type=int, default=0)
    p.add_argument("--keep")
    a = p.parse_args()
    warm = a.warm or {"list": 3000, "service": 3000, "embed": 2000, "count": 3000, "insert": 300,
                      "complete": 200}[a.scenario]

    users = [line.rstrip("\n").split("\t") for line in open(os.path.join(a.data, "users.tsv"))]
    pending = collections.defaultdict(list)
    if a.scenario == "complete":
        for line in open(os.path.join(a.data, "pending.tsv")):
            u, s = line.split()
            pending[int(u)].append(s)
        if (warm + a.n) > sum(len(v) for v in pending.values()):
            sys.exit("not enough pending sessions for that many completions")
    anon = open(os.path.join(a.data, "anon.key")).read().strip()
    service = open(os.path.join(a.data, "service.key")).read().strip()
    secret = open(os.path.join(a.data, "secret")).read().strip()

    work = tempfile.mkdtemp(prefix="ib-instructions-")
    try:
        shutil.copy(os.path.join(a.data, "bench.db"), os.path.join(work, "bench.db"))
        server = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={work}/callgrind.out",
             a.bin, "serve", "--db", f"{work}/bench.db", "--port", "0", "--jwt-secret", secret,
             "--log-requests", "false", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = server.stdout.readline()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            sys.exit(f"no listening line: {line!r}")
        conn = http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=120)

        def request(k):
            u = k % len(users)
            uid, token = users[u][0], users[u][1]
            headers = {"apikey": anon, "Authorization": "Bearer " + token,
                       "Content-Type": "application/json"}
            if a.scenario == "list":
                conn.request("GET", LIST, headers=headers)
            elif a.scenario == "service":
                headers = {"apikey": service, "Authorization": "Bearer " + service}
                conn.request("GET", LIST + "&user_id=eq." + uid, headers=headers)
            elif a.scenario == "embed":
                conn.request("GET", EMBED, headers=headers)
            elif a.scenario == "count":
                headers["Prefer"] = "count=exact"
                conn.request("GET", COUNT, headers=headers)
            elif a.scenario == "insert":
                headers["Prefer"] = "return=representation"
                conn.request("POST", "/rest/v1/interview_sessions", insert_body(uid, k), headers)
            else:
                body = ('{"status":"completed","overall_score":%d.5,'
                        '"completed_at":"2025-06-02T10:00:00+00:00","duration_minutes":30}'
                        % (55 + k % 45))
                conn.request("PATCH", "/rest/v1/interview_sessions?id=eq." +
                             pending[u][k // len(users)], body, headers)
            r = conn.getresponse()
            r.read()
            if r.status >= 300:
                sys.exit(f"{a.scenario} answered {r.status}")

        warm_every_worker(int(m.group(1)), users, anon)
        for k in range(warm):
            request(k)
        subprocess.run(["callgrind_control", "-z", str(server.pid)], check=True,
                       capture_output=True)
        for k in range(warm, warm + a.n):
            request(k)
        subprocess.run(["callgrind_control", "-d", str(server.pid)], check=True,
                       capture_output=True)
        time.sleep(0.5)
        server.terminate()
        server.wait()
        dumps = [f for f in glob.glob(f"{work}/callgrind.out*") if re.search(r"\.\d+$", f)]
        if len(dumps) != 1:
            sys.exit(f"expected one dump, found {dumps}")
        total = 0
        for text in open(dumps[0]):
            if text.startswith(("summary:", "totals:")):
                total = max(total, int(text.split()[1]))
        print(f"{a.scenario} {a.bin} Ir/request={total // a.n:,} ({a.n} requests after {warm})")
        if a.keep:
            shutil.copy(dumps[0], a.keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
