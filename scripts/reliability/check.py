#!/usr/bin/env python3
"""Checks the invariants after a crash loop.

usage: check.py REGISTER.json QUEUE.json RECEIVER.json TOLD.txt
TOLD.txt holds one line per number a client was told: "BOOK YEAR NUMBER ID".
Prints one line per invariant (PASS/FAIL) and a JSON summary line; exit 1 on any FAIL.
"""
import collections, hashlib, json, os, sys

register = json.load(open(sys.argv[1]))
queue = json.load(open(sys.argv[2]))
received = json.load(open(sys.argv[3]))
told = [l.split() for l in open(sys.argv[4]) if l.strip()]

failures = []
def check(name, problems):
    problems = list(problems)
    print(f"{'PASS' if not problems else 'FAIL'}  {name}" + ("" if not problems else f": {len(problems)} problem(s), e.g. {problems[:5]}"))
    if problems: failures.append(name)

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""): h.update(chunk)
    return h.hexdigest()

by_key = collections.defaultdict(list)
for e in register: by_key[(e["book"], int(e["year"]), int(e["number"]))].append(e)
by_id = {e["id"]: e for e in register}

# 1. No number twice per book/year.
check("no number twice per book/year", [k for k, v in by_key.items() if len(v) > 1])

# 2. Every number a client was told exists, registered, with its file and matching sha256.
lost = []
for book, year, number, did in told:
    es = by_key.get((book, int(year), int(number)), [])
    if not es: lost.append(f"{book}/{year}/{number} missing"); continue
    e = es[0]
    if e["id"] != did: lost.append(f"{number}: told id {did}, register has {e['id']}")
    elif e["state"] != "registered": lost.append(f"{number}: {e['state']} ({e.get('voidReason')})")
    elif not os.path.isfile(e["path"]): lost.append(f"{number}: file {e['path']} missing")
    elif sha256(e["path"]) != e["sha256"]: lost.append(f"{number}: file sha256 differs")
check("every number a client was told is registered with its file (sha256 matches)", lost)

# 3. Every registered document has its file with matching sha256.
check("every registered entry has its file and its sha256 matches", [
    e["number"] for e in register if e["state"] == "registered"
    and (not os.path.isfile(e["path"]) or sha256(e["path"]) != e["sha256"])])

# 4. Numbers 1..N per book/year, each gap explained by a voided entry with a reason.
gaps = []
books = collections.defaultdict(set)
for (book, year, number) in by_key: books[(book, year)].add(number)
for (book, year), numbers in books.items():
    missing = set(range(1, max(numbers) + 1)) - numbers
    gaps += [f"{book}/{year}/{n} absent" for n in sorted(missing)]
gaps += [f"{e['number']} voided without reason" for e in register if e["state"] == "voided" and not (e.get("voidReason") or "").strip()]
check("numbers run 1..N; every gap is a voided entry with a reason", gaps)

# 5. Receiver: ids unique; every registered document delivered exactly once; nothing voided or unknown delivered.
ids = [d.get("metadata", {}).get("documentID") or d.get("idempotencyKey") for d in received]
keys = [d.get("idempotencyKey") for d in received]
check("no document twice at the receiver (documentID and Idempotency-Key unique)",
      [i for i, c in collections.Counter(ids).items() if c > 1] + [k for k, c in collections.Counter(keys).items() if c > 1])
count = collections.Counter(ids)
registered_ids = {e["id"] for e in register if e["state"] == "registered"}
check("every registered document delivered exactly once",
      [f"{i} delivered {count.get(i, 0)}x" for i in registered_ids if count.get(i, 0) != 1])
check("nothing voided or unknown at the receiver",
      [i for i in count if i not in registered_ids])
check("receiver holds the same bytes (metadata sha256 = register sha256)",
      [d["metadata"]["documentID"] for d in received
       if d["metadata"]["documentID"] in by_id and d["metadata"].get("sha256") != by_id[d["metadata"]["documentID"]]["sha256"]])

# 6. Outbox fully drained: every row delivered or (for voided documents) held.
check("outbox: every registered document's row is delivered",
      [f"{r['number']}:{r['state']}" for r in queue if r["id"] in registered_ids and r["state"] != "delivered"])

voided = [e for e in register if e["state"] == "voided"]
summary = {"documents": len(register), "registered": len(registered_ids), "voided": len(voided),
           "told": len(told), "registered_not_told": len(registered_ids - {t[3] for t in told}),
           "deliveries": len(received),
           "void_reasons": dict(collections.Counter((e.get("voidReason") or "")[:60] for e in voided))}
print("SUMMARY " + json.dumps(summary, ensure_ascii=False))
sys.exit(1 if failures else 0)
