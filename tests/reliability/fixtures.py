"""Shared pieces of the reliability suites: the integration harness (private
mosquitto, real lyktad / lykta-sim), plus read-only looks into the store the
way an operator would with the sqlite3 CLI."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

import harness  # noqa: E402,F401  (re-exported for the suites)


def integrity(path):
    """PRAGMA integrity_check of a store a killed daemon left behind ("ok" when sound)."""
    try:
        with sqlite3.connect(path) as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as e:  # too broken for the check itself
        return str(e)


def counters(path):
    """(mqtt.session, highest outbox seq ever assigned, outbox rows) from the store."""
    with sqlite3.connect(path) as db:
        def one(sql, default=0):
            try:
                row = db.execute(sql).fetchone()
            except sqlite3.OperationalError:  # table not created yet: killed before migration
                return default
            return int(row[0]) if row and row[0] is not None else default
        session = one("SELECT value FROM kv WHERE key = 'mqtt.session'")
        seq = one("SELECT seq FROM sqlite_sequence WHERE name = 'mqtt_outbox'")
        rows = one("SELECT count(*) FROM mqtt_outbox")
        return session, seq, rows
