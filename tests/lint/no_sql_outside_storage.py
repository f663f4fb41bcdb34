#!/usr/bin/env python3
"""Fails when a C++ string literal under server/ holds SQL text.

SQL lives in storage/ and in the REST engine's one translator (server/rest/sql_builder.*).
Usage: no_sql_outside_storage.py ROOT [PENDING_FILE...]
PENDING_FILE names a file (relative to ROOT) still allowed to hold SQL while its statements
move to storage/; a pending file without SQL fails too, so the list only ever shrinks.
"""
import pathlib
import re
import sys

ALLOWED = re.compile(r"^server/rest/sql_builder\.(h|cpp)$")

# Statement shapes, not bare words: "DELETE" alone is an HTTP method, "SELECT" a Postgres
# command name in a policy row description.
SQL = re.compile(
    r"\bSELECT\s+[\w*(\"]"
    r"|\bINSERT\s+(OR\s+\w+\s+)?INTO\b"
    r"|\bUPDATE\s+[\w\"]+\s+SET\b|\bSET\s+[\w\"]+\s*=\s*[?:(\w]"
    r"|\bDELETE\s+FROM\b"
    r"|\b(CREATE|DROP|ALTER)\s+(TEMP\s+|UNIQUE\s+)?(TABLE|INDEX|VIEW|TRIGGER)\b"
    r"|\bPRAGMA\s+\w+"
    r"|^\s*(BEGIN|COMMIT|ROLLBACK|END)(\s+(IMMEDIATE|DEFERRED|EXCLUSIVE|TRANSACTION))?\s*;?\s*$"
    r"|\b(SAVEPOINT|RELEASE(\s+SAVEPOINT)?|ROLLBACK\s+TO)\s+[\w\"]+"
    r"|\bFROM\s+[\w\"]+\s+(WHERE|AS|JOIN|ORDER|GROUP|LIMIT)\b|\bWHERE\s+[\w.\"]+\s*(=|<|>|IN\b|IS\b|LIKE\b)"
    r"|\bRETURNING\s+(\*|[\w\"]+)|\bON\s+CONFLICT\s*\("
)

LITERAL = re.compile(
    r'R"(?P<delim>[^()\\\s]{0,16})\((?P<raw>.*?)\)(?P=delim)"'
    r'|"(?P<text>(?:[^"\\\n]|\\.)*)"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|//[^\n]*|/\*.*?\*/",
    re.S,
)


def literals(source):
    for m in LITERAL.finditer(source):
        text = m.group("raw") if m.group("raw") is not None else m.group("text")
        if text is not None:
            yield source.count("\n", 0, m.start()) + 1, text


def main():
    root = pathlib.Path(sys.argv[1])
    pending = set(sys.argv[2:])
    failures = []
    files_with_sql = set()
    for path in sorted((root / "server").rglob("*")):
        if path.suffix not in (".h", ".cpp"):
            continue
        rel = path.relative_to(root).as_posix()
        if ALLOWED.match(rel):
            continue
        for line, text in literals(path.read_text(encoding="utf-8", errors="replace")):
            if SQL.search(text):
                files_with_sql.add(rel)
                if rel not in pending:
                    failures.append(f"{rel}:{line}: SQL text outside storage/: \"{text[:80]}\"")
    for rel in sorted(pending - files_with_sql):
        failures.append(f"{rel}: listed as pending but holds no SQL: drop it from the list")
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
