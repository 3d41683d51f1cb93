"""Retained topics of ids that left the config are cleared at start.

A previous run is simulated by the real daemon creating its store, then the
store's index of published retained topics being filled in and the broker
holding retained messages for those topics, as a run with more luminaires
would have left them."""
import os
import signal
import sqlite3
import tempfile
import unittest

from harness import Lyktad, Mosquitto, Observer, minimal_config, write_config

P = "lykta/test-gw"

AREAS = """
profiles:
  standard:
    steps:
      - { at: sunset, level: 100 }
      - { at: sunrise, level: 0 }
areas:
  - { id: torget, name: Torget, profile: standard }
"""


class StaleRetained(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-retained-")
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.store = os.path.join(self.dir, "lykta.db")
        self.config = write_config(self.dir, minimal_config(self.broker.port, self.store, extra=AREAS))

    def run_once(self):
        with Observer(self.broker.port, [f"{P}/status"]) as obs:
            daemon = Lyktad(self.config)
            obs.wait_for(f"{P}/status", lambda p: p and p.get("state") == "online")
            self.assertEqual(daemon.stop(signal.SIGTERM), 0)
        return daemon

    def test_topics_of_removed_ids_are_cleared_and_others_kept(self):
        self.run_once()  # creates the store and its tables
        old = ["luminaire/GONE-1/state", "area/old-area/state", "meter/m-old/state"]
        kept = ["area/torget/state", "alarms"]
        with sqlite3.connect(self.store) as db:
            # "alarms" is already there: the daemon publishes P/alarms at every start.
            db.executemany("INSERT OR IGNORE INTO mqtt_retained (subtopic) VALUES (?)", [(t,) for t in old + kept])
        with Observer(self.broker.port, ["unused/topic"]) as previous_run:
            for t in old + kept:
                previous_run.publish(f"{P}/{t}", {"level": 50}, retain=True)

        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            daemon = Lyktad(self.config)
            self.addCleanup(daemon.stop)
            obs.wait_for(f"{P}/status", lambda p: p and p.get("state") == "online")
            for t in old:
                obs.wait_for(f"{P}/{t}", lambda p: p is None)  # empty retained payload
            self.assertIn("no longer in the configuration", daemon.stderr())

        with Observer(self.broker.port, [f"{P}/#", "marker/done"]) as late:
            late.publish("marker/done", {"done": True})
            late.wait_for("marker/done")
            retained = {m.topic for m in late.snapshot() if m.retain}
            for t in old:
                self.assertNotIn(f"{P}/{t}", retained)
            for t in kept:
                self.assertIn(f"{P}/{t}", retained)
        with sqlite3.connect(self.store) as db:
            left = {row[0] for row in db.execute("SELECT subtopic FROM mqtt_retained")}
        self.assertEqual(left, set(kept))


if __name__ == "__main__":
    unittest.main()
