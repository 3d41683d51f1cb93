"""Prints the outbox append rate with synchronous=NORMAL and =FULL (WAL): one
autocommitted INSERT per message into the outbox's own schema, as
Outbox::append does, on the file system of the given directory (default: the
current one; tmpfs would hide the fsync cost). A benchmark: it prints, it asserts nothing.
  /usr/bin/python3 bench/sync_bench.py [DIR] [N]"""
import os
import sqlite3
import sys
import tempfile
import time

SCHEMA = ("CREATE TABLE mqtt_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL,"
          " subtopic TEXT NOT NULL, payload TEXT NOT NULL, historical INTEGER NOT NULL)")
PAYLOAD = '{"type":"fault.raised","fault":{"id":"f-12","luminaire":"L-12","kind":"lamp_failure"},"ts":"2026-11-25T04:00:00Z"}'


def rate(directory, mode, n):
    path = tempfile.mktemp(dir=directory, suffix=".db")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={mode}")
    db.execute(SCHEMA)
    start = time.perf_counter()
    for _ in range(n):
        db.execute("INSERT INTO mqtt_outbox (kind, subtopic, payload, historical) VALUES (0, 'event', ?, 0)",
                   (PAYLOAD,))
    elapsed = time.perf_counter() - start
    db.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return n / elapsed


if __name__ == "__main__":
    directory = sys.argv[1] if len(sys.argv) > 1 else "."
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    for mode in ("NORMAL", "FULL", "NORMAL", "FULL"):
        print(f"synchronous={mode:6s} {rate(directory, mode, n):9.0f} appends/s ({n} appends)")
