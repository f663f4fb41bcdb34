#!/usr/bin/env python3
"""Does a backup stall the server's writes? Starts interviewbase on a throwaway database
(durability full), fills it to about SIZE_MB with stored objects, then runs a client that
inserts one row at a time (each waiting for its answer) and records every answer's time. While
it writes, `interviewbase backup` and then POST /admin/v1/backup copy the database. Prints, for
a quiet second before and for each backup, the writes answered, the longest single write and
the longest gap between two answers. The goal: no gap above 100 ms during a backup.

    python3 bench/backup_stall.py [path/to/interviewbase] [SIZE_MB, default 200]
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/interviewbase"
SIZE_MB = int(sys.argv[2]) if len(sys.argv) > 2 else 200
SECRET = "bench-backup-secret-0123456789abcdef0123456"


def request(port, method, path, key, body=b"", ctype="application/json", conn=None):
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request(method, path, body=body,
              headers={"apikey": key, "Authorization": "Bearer " + key, "Content-Type": ctype})
    r = c.getresponse()
    data = r.read()
    if conn is None:
        c.close()
    return r.status, data


class Writer(threading.Thread):
    def __init__(self, port, key, uid):
        super().__init__(daemon=True)
        self.port, self.key, self.uid = port, key, uid
        self.samples = []  # (start, end) of each acknowledged write
        self.stop = False

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        n = 0
        while not self.stop:
            n += 1
            body = json.dumps({"user_id": self.uid, "title": "w%d" % n}).encode()
            t0 = time.monotonic()
            status, _ = request(self.port, "POST", "/rest/v1/interview_sessions", self.key, body,
                                conn=conn)
            t1 = time.monotonic()
            if status != 201:
                raise SystemExit("write failed: %d" % status)
            self.samples.append((t0, t1))


def report(label, samples, t_from, t_to):
    inside = [s for s in samples if s[1] >= t_from and s[0] <= t_to]
    ends = [s[1] for s in inside]
    longest = max((e - s for s, e in inside), default=0)
    gaps = [(b - a, b) for a, b in zip(ends, ends[1:])]
    gap, at = max(gaps, default=(0, t_from))
    print("%-28s %6.2f s  %5d writes  longest write %6.1f ms  longest gap %6.1f ms (ending at"
          " +%.2f s)" % (label, t_to - t_from, len(inside), longest * 1000, gap * 1000,
                         at - t_from))
    return gap


def main():
    work = tempfile.mkdtemp()
    db = os.path.join(work, "bench.db")
    server = subprocess.Popen([BIN, "serve", "--db", db, "--port", "0", "--jwt-secret", SECRET,
                               "--log-requests", "false", "--storage-max-file-size", "64MB"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(server.stdout.readline().rsplit(":", 1)[1])
        server.stdout.readline()
        key = server.stdout.readline().split(": ", 1)[1].strip()
        status, data = request(port, "POST", "/auth/v1/admin/users", key,
                               json.dumps({"email": "bench@example.com", "password": "secret123",
                                           "email_confirm": True}).encode())
        uid = json.loads(data)["id"]
        blob = os.urandom(50 << 20)
        for i in range(max(1, SIZE_MB // 50)):
            status, _ = request(port, "POST", "/storage/v1/object/interview-audio/fill%d" % i,
                                key, blob, "application/octet-stream")
            assert status == 200, status
        print("database: %.0f MB (+ WAL %.0f MB)" % (os.path.getsize(db) / 1e6,
              os.path.getsize(db + "-wal") / 1e6 if os.path.exists(db + "-wal") else 0))

        writer = Writer(port, key, uid)
        writer.start()
        time.sleep(3.0)  # the uploads' WAL is checkpointed meanwhile
        t0 = time.monotonic()
        time.sleep(3.0)
        report("no backup (baseline)", writer.samples, t0, time.monotonic())

        out = os.path.join(work, "backup.db")
        cli_gap = 0
        for attempt in range(3):
            t0 = time.monotonic()
            subprocess.run([BIN, "backup", "--db", db, out], check=True,
                           stdout=subprocess.DEVNULL)
            time.sleep(0.3)  # what follows a copy: the checkpoint it held back
            cli_gap = max(cli_gap, report("interviewbase backup #%d" % (attempt + 1),
                                          writer.samples, t0, time.monotonic()))
        print("  backup file: %.0f MB" % (os.path.getsize(out) / 1e6))

        t0 = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("POST", "/admin/v1/backup", headers={"apikey": key,
                                                          "Authorization": "Bearer " + key})
        response = conn.getresponse()
        t_head = time.monotonic()
        size = 0
        while True:
            piece = response.read(1 << 20)
            if not piece:
                break
            size += len(piece)
        t_body = time.monotonic()
        conn.close()
        time.sleep(0.3)  # the server closes and frees the unlinked copy after the last byte
        http_gap = report("POST /admin/v1/backup", writer.samples, t0, time.monotonic())
        print("  HTTP %d after %.2f s (the copy), %.0f MB streamed by +%.2f s"
              % (response.status, t_head - t0, size / 1e6, t_body - t0))
        writer.stop = True
        writer.join()
        check = subprocess.run([BIN, "check", "--db", out], capture_output=True, text=True)
        print("  check of the backup: exit %d, %s" % (check.returncode,
                                                      check.stdout.strip().splitlines()[-1]))
        worst = max(cli_gap, http_gap)
        print("longest gap between answered writes during a backup: %.1f ms (goal < 100 ms)"
              % (worst * 1000))
    finally:
        server.terminate()
        server.wait()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
