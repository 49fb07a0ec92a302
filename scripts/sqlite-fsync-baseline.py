#!/usr/bin/env python3
"""The SQLite store's baseline: an fsync'd insert loop on the same disk and with the same settings as the store
(WAL, synchronous=FULL), one row of about an event's size per transaction, one writer, for SECONDS seconds
(default 10). Prints inserts_per_second=<n>. Usage: scripts/sqlite-fsync-baseline.py [SECONDS] [DIR]"""
import os, sqlite3, sys, tempfile, time, shutil

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
parent = sys.argv[2] if len(sys.argv) > 2 else None
work = tempfile.mkdtemp(prefix="sqlite-baseline-", dir=parent)
try:
    db = sqlite3.connect(os.path.join(work, "baseline.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, tree_id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)")
    payload = "x" * 400
    n = 0
    end = time.monotonic() + seconds
    start = time.monotonic()
    while time.monotonic() < end:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO events (seq, tree_id, version, data) VALUES (?, ?, ?, ?)", (n + 1, "tree-%d" % (n % 16), n, payload))
        db.execute("COMMIT")
        n += 1
    elapsed = time.monotonic() - start
    db.close()
    print("inserts_per_second=%.1f inserts=%d seconds=%.2f" % (n / elapsed, n, elapsed))
finally:
    shutil.rmtree(work, ignore_errors=True)
