"""Shared pieces of the reliability suites: the integration harness (private
mosquitto, real lyktad / lykta-sim), plus read-only looks into the store the
way an operator would with the sqlite3 CLI."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

import harness  # noqa: E402,F401  (re-exported for the suites)
from harness import Lyktad, Sim, SimControl, minimal_config  # noqa: E402

P = "lykta/test-gw"  # minimal_config's gateway
LUMINAIRES = 4  # L-1..L-4 at short addresses 0..3 of the DALI simulator


def dali_config(broker_port, store, dali_port, level, more=""):
    """minimal_config with bus1 on the DALI simulator, L-1..L-4 in torget (DALI
    group 1) and a one-step profile `constant` at `level` % day and night;
    `more` goes below its profiles (further profiles, then other sections)."""
    return minimal_config(broker_port, store, extra=f"""
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{dali_port}", sweep_s: 0.3 }}
luminaires:
  - {{ id: "L-{{n}}", bus: bus1, addresses: 0..{LUMINAIRES - 1}, first: 1, area: torget }}
areas:
  - {{ id: torget, profile: constant, dali_groups: {{ bus1: 1 }} }}
profiles:
  constant:
    - {{ at: "12:00", level: {level} }}
""" + more)


def start_dali_sim(test, port=0, *faults):
    """`lykta-sim dali` with LUMINAIRES gear on `port` (0: a free one) and a
    control socket, both closed at the test's cleanup: (sim, its port, control)."""
    sim = Sim("dali", "--listen", f"127.0.0.1:{port}", "--gear", str(LUMINAIRES),
              "--control", "127.0.0.1:0", *faults)
    test.addCleanup(sim.stop)
    port = int(sim.read_line("listening ").rsplit(":", 1)[1])
    control = SimControl(sim)
    test.addCleanup(control.close)
    return sim, port, control


def start_lyktad(test, config):
    """lyktad on `config`, stopped at the test's cleanup (a no-op after a kill)."""
    daemon = Lyktad(config)
    test.addCleanup(daemon.stop)
    return daemon


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
