#!/usr/bin/env python3
"""Seeds an interviewbase server for bench/run.sh and writes the data files the wrk scripts read.

Only the standard library; talks to 127.0.0.1 only.

  seed.py base    --port P --data DIR   users, sessions, feedback, tokens (users.tsv)
  seed.py pending --port P --data DIR   extra pending sessions for the completion PATCH (pending.tsv)
  seed.py completed --port P --data DIR  prints how many pending sessions are now completed
  seed.py crowd   --db FILE --crowd N   N more users, each with a leaderboard row (scores spread
                                        over 0-49,999), written straight into a stopped server's
                                        database file: a large ranking without N sign-ups
  seed.py realtime --db FILE --data DIR --users N
                                        N users (auth_users), each with one in-progress
                                        interview_session, written straight into a stopped
                                        server's database file; writes DIR/realtime.tsv (user id,
                                        session id, HS256 access token minted with DIR/secret)
  seed.py check   --data DIR --port P [--port P2 ...]
                                        the reference list against each server: 10 rows, the
                                        user's own, newest first, and the same ids everywhere

DIR must hold anon.key, service.key and secret (written by run.sh).
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import sqlite3
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

USERS = int(os.environ.get("BENCH_USERS", "100"))
SESSIONS_PER_USER = int(os.environ.get("BENCH_SESSIONS_PER_USER", "100"))
FEEDBACK_EVERY = 4          # one interview_feedback row for every 4th session
PENDING_PER_USER = 200      # run.sh passes --pending-per-user sized from the insert rate
PASSWORD = "bench-password-1"
# Deterministic ids and data: the same seed gives the same database.
NS = uuid.UUID("6d1f1a52-2b51-4a43-9a0e-5b1b8c0f0b11")
BASE_TIME = datetime(2025, 6, 1, 12, 0, 0, tzinfo=timezone.utc)

CATEGORIES = ["behavioral", "technical", "system-design", "coding", "culture"]
ROLES = ["Backend Engineer", "Frontend Engineer", "Data Scientist", "SRE", "Product Manager"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def sign_hs256(claims, secret):
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    sig = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(sig)}"


def iso(ts):
    return ts.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+00:00"


class Api:
    def __init__(self, port, data):
        self.port = port
        self.anon = read(data, "anon.key")
        self.service = read(data, "service.key")
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None, token=None, apikey=None, prefer=None):
        headers = {"apikey": apikey or self.service,
                   "Authorization": "Bearer " + (token or self.service)}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body, separators=(",", ":"))
        if prefer:
            headers["Prefer"] = prefer
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                text = resp.read().decode()
                return resp.status, text, dict(resp.getheaders())
            except (ConnectionError, http.client.HTTPException):
                if attempt:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def ok(self, method, path, body=None, **kw):
        status, text, _ = self.call(method, path, body, **kw)
        if status // 100 != 2:
            sys.exit(f"seed: {method} {path} -> {status}: {text[:500]}")
        return text


def read(data, name):
    with open(os.path.join(data, name)) as f:
        return f.read().strip()


def session_row(uid, u, i, status=None, created=None):
    """One full interview_sessions row: JSON metadata with nested keys, 5 questions, scores."""
    sid = str(uuid.uuid5(NS, f"session-{u}-{i}"))
    created = created or BASE_TIME - timedelta(hours=37 * i, minutes=u)
    status = status or ("completed" if i % 5 else "in_progress")
    cat = CATEGORIES[(u + i) % len(CATEGORIES)]
    role = ROLES[(u * 7 + i) % len(ROLES)]
    questions = [
        {"id": q + 1, "text": f"Question {q + 1} about {CATEGORIES[(i + q) % 5]} for a {role}: "
                              "how would you approach it?",
         "category": CATEGORIES[(i + q) % 5], "difficulty": ["easy", "medium", "hard"][(i + q) % 3]}
        for q in range(5)
    ]
    row = {
        "id": sid,
        "user_id": uid,
        "title": f"{role} mock interview #{i + 1} ({COMPANIES[i % 5]})",
        "description": f"A {cat} practice session for a {role} role at {COMPANIES[i % 5]}, "
                       "with five questions and AI scoring.",
        "interview_type": "voice" if i % 3 else "text",
        "status": status,
        "metadata": {
            "company": COMPANIES[i % 5], "role": role, "seniority": ["junior", "mid", "senior"][i % 3],
            "settings": {"voice": "alloy", "language": "en-US", "difficulty": 1 + i % 3,
                         "timer": {"enabled": True, "seconds": 1800}},
            "tags": [cat, "practice", f"batch-{u % 10}"],
            "client": {"app": "interview-web", "version": "2.4.1"},
        },
        "questions": questions,
        "answers": [],
        # PostgREST wants the same keys in every object of a bulk insert.
        "started_at": None, "completed_at": None, "duration_minutes": None,
        "overall_score": None, "communication_score": None, "technical_score": None,
        "ai_accuracy_score": None,
        "created_at": iso(created),
        "updated_at": iso(created + timedelta(minutes=45)),
    }
    if status == "completed":
        row.update({
            "started_at": iso(created + timedelta(minutes=1)),
            "completed_at": iso(created + timedelta(minutes=31)),
            "duration_minutes": 30,
            "overall_score": round(55 + (u * 13 + i * 7) % 45 + 0.25, 2),
            "communication_score": round(50 + (u * 11 + i * 3) % 50 + 0.5, 2),
            "technical_score": round(45 + (u * 5 + i * 17) % 55 + 0.75, 2),
            "ai_accuracy_score": round(80 + (u + i) % 20, 2),
        })
    elif status == "in_progress":
        row["started_at"] = iso(created + timedelta(minutes=1))
    return row


def feedback_row(uid, u, i, sid):
    return {
        "id": str(uuid.uuid5(NS, f"feedback-{u}-{i}")),
        "interview_id": sid,
        "user_id": uid,
        "overall_score": round(60 + (u * 3 + i) % 40 + 0.5, 2),
        "hiring_recommendation": ["hire", "lean hire", "no hire"][i % 3],
        "scores": [{"category": c, "score": 50 + (u + i + k * 9) % 50} for k, c in enumerate(CATEGORIES)],
        "strengths": ["clear structure", "good examples"],
        "improvements": ["quantify impact"],
        "recommendations": ["practice system design"],
        "detailed_feedback": "Solid answers overall; tighten the system design trade-offs.",
        "duration_seconds": 1800,
        "metadata": {"model": "bench", "version": 1},
    }


def cmd_base(args):
    api = Api(args.port, args.data)
    secret = read(args.data, "secret")
    now = int(time.time())
    out = []
    t0 = time.time()
    for u in range(USERS):
        email = f"bench-user-{u:03d}@bench.test"
        text = api.ok("POST", "/auth/v1/admin/users",
                      {"email": email, "password": PASSWORD, "email_confirm": True,
                       "user_metadata": {"full_name": f"Bench User {u}"}})
        uid = json.loads(text)["id"]
        rows = [session_row(uid, u, i) for i in range(SESSIONS_PER_USER)]
        for k in range(0, len(rows), 500):  # bodies of at most 500 rows (about 1 MB)
            api.ok("POST", "/rest/v1/interview_sessions", rows[k:k + 500], prefer="return=minimal")
        fb = [feedback_row(uid, u, i, rows[i]["id"]) for i in range(0, SESSIONS_PER_USER, FEEDBACK_EVERY)]
        api.ok("POST", "/rest/v1/interview_feedback", fb, prefer="return=minimal")
        token = sign_hs256({"aud": "authenticated", "exp": 4102444800, "iat": now, "iss": "bench",
                            "sub": uid, "email": email, "role": "authenticated"}, secret)
        out.append(f"{uid}\t{token}\n")
    with open(os.path.join(args.data, "users.tsv"), "w") as f:
        f.writelines(out)
    print(f"seeded {USERS} users x {SESSIONS_PER_USER} sessions "
          f"(+{len(range(0, SESSIONS_PER_USER, FEEDBACK_EVERY))} feedback each) in {time.time() - t0:.1f}s")


def cmd_pending(args):
    """Pending sessions, older than every base session so they never show in the lists."""
    api = Api(args.port, args.data)
    users = [l.split("\t")[0] for l in open(os.path.join(args.data, "users.tsv")).read().splitlines() if l]
    lines = []
    for u, uid in enumerate(users):
        rows = []
        for k in range(args.pending_per_user):
            created = BASE_TIME - timedelta(days=800, minutes=k * 10 + u)
            rows.append(session_row(uid, u, 10000 + k, status="pending", created=created))
        for k in range(0, len(rows), 500):
            api.ok("POST", "/rest/v1/interview_sessions", rows[k:k + 500], prefer="return=minimal")
        lines += [f"{u}\t{r['id']}\n" for r in rows]
    # Interleave users so that consecutive PATCHes go to different users.
    lines.sort(key=lambda l: (int(l.split("\t")[1][:8], 16), l))
    with open(os.path.join(args.data, "pending.tsv"), "w") as f:
        f.writelines(lines)
    print(f"seeded {len(lines)} pending sessions for the completion PATCH")


def cmd_completed(args):
    """How many of the pending sessions (all created before 2024-06) are now completed."""
    api = Api(args.port, args.data)
    _, _, headers = api.call("GET", "/rest/v1/interview_sessions?select=id&status=eq.completed"
                             "&created_at=lt.2024-06-01T00:00:00Z&limit=1", prefer="count=exact")
    content_range = {k.lower(): v for k, v in headers.items()}.get("content-range", "*/?")
    print(content_range.rsplit("/", 1)[1])


def cmd_crowd(args):
    """Users with only an auth row and a leaderboard row, inserted with SQL into a database file
    no server holds (the schema's triggers keep the score histogram as they go)."""
    rnd = random.Random(5)
    stamp = iso(BASE_TIME)
    db = sqlite3.connect(args.db)
    with db:
        for n in range(args.crowd):
            uid = str(uuid.uuid5(NS, f"crowd-{n}"))
            db.execute("INSERT INTO auth_users (id, email, created_at, updated_at) VALUES (?, ?, ?, ?)",
                       (uid, f"crowd-{n}@bench.test", stamp, stamp))
            db.execute("INSERT INTO leaderboard (id, user_id, total_score, total_xp, last_updated) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (str(uuid.uuid5(NS, f"crowd-board-{n}")), uid, rnd.randrange(50000),
                        rnd.randrange(100000), stamp))
    db.close()
    print(f"added {args.crowd} users with leaderboard rows to {args.db}")


def cmd_realtime(args):
    """The Realtime subscribers of bench/realtime.sh: each user owns one interview (deterministic
    ids, as `crowd`), and gets a token whose sub is that user."""
    secret = read(args.data, "secret")
    stamp = iso(BASE_TIME)
    now = int(time.time())
    db = sqlite3.connect(args.db)
    lines = []
    with db:
        for n in range(args.users):
            uid = str(uuid.uuid5(NS, f"rt-user-{n}"))
            sid = str(uuid.uuid5(NS, f"rt-session-{n}"))
            email = f"rt-user-{n}@bench.test"
            db.execute("INSERT INTO auth_users (id, email, created_at, updated_at) VALUES (?, ?, ?, ?)",
                       (uid, email, stamp, stamp))
            db.execute("INSERT INTO interview_sessions (id, user_id, title, status, started_at, "
                       "created_at, updated_at) VALUES (?, ?, ?, 'in_progress', ?, ?, ?)",
                       (sid, uid, f"Realtime bench interview {n}", stamp, stamp, stamp))
            token = sign_hs256({"aud": "authenticated", "exp": 4102444800, "iat": now, "iss": "bench",
                                "sub": uid, "email": email, "role": "authenticated"}, secret)
            lines.append(f"{uid}\t{sid}\t{token}\n")
    db.close()
    with open(os.path.join(args.data, "realtime.tsv"), "w") as f:
        f.writelines(lines)
    print(f"added {args.users} users with one interview each to {args.db}")


def cmd_check(args):
    users = [l.split("\t") for l in open(os.path.join(args.data, "users.tsv")).read().splitlines() if l]
    anon = read(args.data, "anon.key")
    path = "/rest/v1/interview_sessions?select=*&order=created_at.desc&limit=10"
    reference = None
    for port in args.port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        got = []
        for uid, token in users[:5]:
            conn.request("GET", path, headers={"apikey": anon, "Authorization": "Bearer " + token})
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                sys.exit(f"check: port {port}: {resp.status} {body[:300]!r}")
            rows = json.loads(body)
            if len(rows) != 10 or any(r["user_id"] != uid for r in rows):
                sys.exit(f"check: port {port}: expected 10 rows of {uid}, got {len(rows)}")
            if not isinstance(rows[0]["metadata"], dict) or len(rows[0]["questions"]) != 5:
                sys.exit(f"check: port {port}: jsonb columns not nested: {rows[0]!r}"[:400])
            got.append([r["id"] for r in rows])
            size = len(body)
        if reference is None:
            reference = got
        elif got != reference:
            sys.exit(f"check: port {port} returns other rows than port {args.port[0]}")
        print(f"check: port {port}: ok ({size} bytes for 10 rows, {len(rows[0])} columns)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cmd", choices=["base", "pending", "check", "completed", "crowd", "realtime"])
    p.add_argument("--pending-per-user", type=int, default=PENDING_PER_USER)
    p.add_argument("--port", type=int, action="append")
    p.add_argument("--data")
    p.add_argument("--db")
    p.add_argument("--crowd", type=int, default=100000)
    p.add_argument("--users", type=int, default=1000)
    args = p.parse_args()
    if args.cmd == "crowd":
        if not args.db:
            p.error("crowd needs --db")
    elif args.cmd == "realtime":
        if not args.db or not args.data:
            p.error("realtime needs --db and --data")
    elif not args.port or not args.data:
        p.error(f"{args.cmd} needs --port and --data")
    elif args.cmd != "check":
        args.port = args.port[0]
    {"base": cmd_base, "pending": cmd_pending, "check": cmd_check,
     "completed": cmd_completed, "crowd": cmd_crowd, "realtime": cmd_realtime}[args.cmd](args)


if __name__ == "__main__":
    main()
