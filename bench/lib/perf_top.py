#!/usr/bin/env python3
"""Summarises `perf script -F ip,sym` output (call graphs recorded with --call-graph dwarf).

  perf_top.py SCRIPT_TXT [ROOT ...]

Prints the top self (leaf) symbols, the top inclusive frames of the server's own code, SQLite
and cpp-httplib, and for each ROOT substring the callees that its time goes to.
"""
import collections
import re
import sys


def stacks(path):
    cur = []
    for line in open(path, errors="replace"):
        line = line.rstrip()
        if not line:
            if cur:
                yield cur
            cur = []
            continue
        if line[:1] in "\t ":
            parts = line.strip().split(None, 1)
            sym = parts[1] if len(parts) > 1 else "?"
            cur.append(re.sub(r"\+0x[0-9a-f]+$", "", sym).replace(" (inlined)", ""))
    if cur:
        yield cur


def short(sym, n=110):
    sym = re.sub(r"nlohmann::json_abi_v[0-9_]+::", "nlohmann::", sym)
    sym = re.sub(r"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >",
                 "std::string", sym)
    return sym if len(sym) <= n else sym[: n - 3] + "..."


def main():
    path, roots = sys.argv[1], sys.argv[2:]
    all_stacks = list(stacks(path))
    n = len(all_stacks)
    if not n:
        print("no samples")
        return
    leaf = collections.Counter(s[0] for s in all_stacks)
    incl = collections.Counter()
    for s in all_stacks:
        for f in set(s):
            incl[f] += 1
    print(f"{n} samples\n\ntop self (leaf) symbols:")
    for sym, c in leaf.most_common(25):
        print(f"  {100 * c / n:6.2f}%  {short(sym)}")
    print("\ntop inclusive frames (server code, SQLite, cpp-httplib, OpenSSL, kernel send/recv):")
    keep = re.compile(r"^(ib::|httplib::|sqlite3|HMAC|EVP_|__libc_send|__libc_recv|__poll|"
                      r"__GI___poll|malloc|free|operator new|nlohmann::)")
    shown = 0
    for sym, c in incl.most_common():
        if keep.search(sym):
            print(f"  {100 * c / n:6.2f}%  {short(sym)}")
            shown += 1
            if shown >= 45:
                break
    for root in roots:
        callees = collections.Counter()
        total = 0
        for s in all_stacks:
            for i, f in enumerate(s):
                if root in f:
                    total += 1
                    callees[short(s[i - 1], 90) if i else "(self)"] += 1
                    break
        if not total:
            continue
        print(f"\n{root}: {100 * total / n:.2f}% inclusive; its callees:")
        for sym, c in callees.most_common(12):
            print(f"  {100 * c / n:6.2f}%  {sym}")


if __name__ == "__main__":
    main()
