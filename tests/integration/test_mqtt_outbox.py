"""Store-and-forward: events produced while the broker is unreachable are kept
on disk (across daemon restarts and kill -9) and delivered after reconnect, in
order, with "historical": true and increasing seq.

The events are the daemon's own gateway.started events, one per start: they are
real outbox traffic and need no test-only hook in the daemon."""
import os
import signal
import sqlite3
import tempfile
import unittest

from harness import Lyktad, Mosquitto, Observer, minimal_config, wait_until, write_config

P = "lykta/test-gw"


def started(p):
    return isinstance(p, dict) and p.get("type") == "gateway.started"


class Outbox(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-outbox-")
        self.broker = Mosquitto(persistent=True)
        self.addCleanup(self.broker.stop)
        self.store = os.path.join(self.dir, "lykta.db")
        self.config = write_config(self.dir, minimal_config(self.broker.port, self.store))

    def start_offline(self):
        """A daemon that has seen its first connect attempt fail."""
        daemon = Lyktad(self.config)
        self.addCleanup(daemon.stop)
        wait_until(lambda: "connect to tcp://127.0.0.1" in daemon.stderr() and "failed" in daemon.stderr(),
                   what="a failed connect attempt")
        return daemon

    def test_events_survive_outage_restart_and_kill(self):
        # A persistent platform-side session: the broker queues for it while it is away.
        obs = Observer(self.broker.port, [f"{P}/event"], client_id="platform-outbox-test", clean_session=False)
        self.addCleanup(obs.close)
        live = Lyktad(self.config)
        first = obs.wait_for(f"{P}/event", started)
        self.assertNotIn("historical", first)
        self.assertEqual(live.stop(signal.SIGTERM), 0)

        self.broker.stop()
        a = self.start_offline()
        self.assertEqual(a.stop(signal.SIGTERM), 0)  # shutdown is bounded with the broker gone
        b = self.start_offline()
        b.kill()  # power cut: the event was committed before the daemon went on
        c = self.start_offline()
        self.broker.start_again()

        # Delivery is at-least-once: a copy of an acknowledged event may come again,
        # and the platform de-duplicates on seq, as this test does.
        def historical_started(p):
            return started(p) and p["seq"] > first["seq"]
        try:
            replayed = obs.wait_all(f"{P}/event", historical_started, 3, timeout=30)
        except AssertionError:
            print(c.stderr()[-3000:])
            print([(m.topic, m.payload) for m in obs.snapshot()])
            print(self.broker.stderr()[-2000:])
            print(self.outbox_rows())
            raise
        for event in replayed:
            self.assertIs(event.get("historical"), True, event)
        seqs = [e["seq"] for e in replayed]
        self.assertEqual(seqs, sorted(set(seqs)))  # in order, three distinct events
        # rows are deleted once the broker acknowledged them
        wait_until(lambda: self.outbox_rows() == [], what="the outbox to drain")
        self.assertTrue(c.running())

    def outbox_rows(self):
        with sqlite3.connect(self.store) as db:
            return db.execute("SELECT seq, subtopic, payload, historical FROM mqtt_outbox ORDER BY seq").fetchall()

    def test_outbox_is_persisted_before_the_daemon_goes_on(self):
        self.broker.stop()
        daemon = self.start_offline()
        daemon.kill()
        rows = self.outbox_rows()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][1], "event")
        self.assertIn("gateway.started", rows[0][2])
        self.assertEqual(rows[0][3], 1)


if __name__ == "__main__":
    unittest.main()
