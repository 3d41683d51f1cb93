"""Disk full under the store (a 1 MB tmpfs filled up): the daemon logs the
failed writes and keeps running degraded - it reconnects to the broker, answers
requests, starts again on the full disk - and once space is back the store
checks out. The failing store raises a critical storage_failure fault, held in
memory and shown in P/alarms; once writes work again it is stored, cleared,
and its fault.raised/fault.cleared events reach the platform. A lamp failure
seen while the disk is full is shown in P/alarms at once and stored, with its
fault.raised event, once space is back.
Needs root for the tmpfs mount; skipped otherwise."""
import os
import signal
import subprocess
import tempfile
import unittest

from fixtures import integrity
from harness import Lyktad, Mosquitto, Observer, Sim, SimControl, minimal_config, write_config

P = "lykta/test-gw"


def online(p):
    return isinstance(p, dict) and p.get("state") == "online"


def storage_faults(alarms):
    return [f for f in (alarms or {}).get("active", []) if f["kind"] == "storage_failure"]


class DiskFull(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-diskfull-")
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", self.dir],
                                 capture_output=True)
        if mounted.returncode != 0:
            self.skipTest(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
        self.addCleanup(subprocess.run, ["umount", "-l", self.dir])
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.store = os.path.join(self.dir, "lykta.db")
        self.config = write_config(self.dir, minimal_config(self.broker.port, self.store))
        self.observer = Observer(self.broker.port, [f"{P}/#"])
        self.addCleanup(self.observer.close)

    def fill(self):
        subprocess.run(["dd", "if=/dev/zero", f"of={self.dir}/filler", "bs=4k"], capture_output=True)
        self.assertEqual(os.statvfs(self.dir).f_bavail, 0)

    def wait_online(self, daemon, since):
        """`since`: the observer's message count taken *before* the daemon was
        started. Counted after the start, a loaded machine lets the daemon
        connect and publish `online` first, and the wait misses it (seen: 20 s
        timeouts under stress-ng --cpu 2)."""
        try:
            return self.observer.wait_for(f"{P}/status", online, since=since, timeout=20)
        except AssertionError:
            raise AssertionError(f"not online again; daemon log: {daemon.stderr()[-2500:]}")

    def test_a_full_disk_degrades_instead_of_stopping_the_daemon(self):
        daemon = Lyktad(self.config)
        self.addCleanup(daemon.stop)
        self.observer.wait_for(f"{P}/status", online)
        self.fill()
        self.broker.restart()  # a reconnect writes (session counter, outbox bookkeeping)
        self.observer = Observer(self.broker.port, [f"{P}/#"])  # the old one lost its subscription
        self.addCleanup(self.observer.close)
        status = self.wait_online(daemon, since=0)
        self.assertEqual(status["session"], 2)
        self.assertTrue(daemon.running(), daemon.stderr()[-2500:])
        self.assertEqual(self.observer.request(P, "republish", {})["status"], "ok")
        self.assertIn("disk is full", daemon.stderr())
        alarms = self.observer.wait_for(f"{P}/alarms", storage_faults)
        fault = storage_faults(alarms)[0]
        self.assertEqual((fault["severity"], fault["target"], fault["area"]), ("critical", "store", None))
        self.assertIn("disk is full", fault["detail"])
        self.assertEqual(daemon.stop(signal.SIGTERM), 0, daemon.stderr()[-2500:])

        since = len(self.observer.snapshot())
        again = Lyktad(self.config)  # a start on the full disk, too
        self.addCleanup(again.stop)
        self.wait_online(again, since)
        self.assertEqual(self.observer.request(P, "republish", {})["status"], "ok")
        self.assertIn("could not store a event message in the outbox", again.stderr())
        raised = storage_faults(self.observer.wait_for(f"{P}/alarms", storage_faults, since=since))[0]

        # Space comes back under the running daemon: its next probe write works,
        # the fault is stored and cleared, P/alarms no longer shows it, and the
        # platform gets both events (fault.raised was held back: the outbox was full too).
        since = len(self.observer.snapshot())
        os.remove(os.path.join(self.dir, "filler"))
        self.observer.wait_for(f"{P}/alarms", lambda a: a is not None and not storage_faults(a), since=since)
        def event(kind):
            return self.observer.wait_for(f"{P}/event", lambda e: e and e.get("type") == kind
                                          and e["fault"]["kind"] == "storage_failure", since=since)
        raised_event, cleared_event = event("fault.raised"), event("fault.cleared")
        self.assertEqual(raised_event["fault"]["id"], cleared_event["fault"]["id"])
        self.assertEqual(raised_event["fault"]["since"], raised["since"])
        self.assertLess(raised_event["seq"], cleared_event["seq"])
        history = self.observer.request(P, "faults/list", {"active_only": False})
        stored = [f for f in history["data"]["faults"] if f["kind"] == "storage_failure"]
        self.assertEqual([f["id"] for f in stored], [raised_event["fault"]["id"]], history)
        self.assertIsNotNone(stored[0]["cleared"])
        self.assertIn("store writable again", again.stderr())
        self.assertEqual(again.stop(signal.SIGTERM), 0, again.stderr()[-2500:])

        self.assertEqual(integrity(self.store), "ok")
        since = len(self.observer.snapshot())
        healed = Lyktad(self.config)
        self.addCleanup(healed.stop)
        self.wait_online(healed, since)
        self.assertNotIn("disk is full", healed.stderr())
        self.observer.request(P, "republish", {})  # P/alarms again, even if unchanged
        alarms = self.observer.wait_for(f"{P}/alarms", lambda a: a is not None, since=since)
        self.assertEqual(storage_faults(alarms), [], "a stored storage_failure is never restored as active")

    def test_a_lamp_failure_during_a_full_disk_is_not_lost(self):
        dali = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "1", "--control", "127.0.0.1:0")
        self.addCleanup(dali.stop)
        dali_port = int(dali.read_line("listening ").rsplit(":", 1)[1])
        control = SimControl(dali)
        self.addCleanup(control.close)
        extra = f"""dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{dali_port}", sweep_s: 0.3, energy_sweep_s: 60 }}
luminaires:
  - {{ id: L-11, bus: bus1, address: 0, area: torget, rated_w: 40 }}
areas:
  - {{ id: torget, name: Torget, profile: centrum }}
profiles:
  centrum:
    - {{ at: "12:00", level: 100 }}
faults:
  debounce:
    lamp_failure: {{ raise_after: 2, clear_after: 2 }}
"""
        config = write_config(self.dir, minimal_config(self.broker.port, self.store, extra=extra), name="lamp.yaml")
        daemon = Lyktad(config)
        self.addCleanup(daemon.stop)
        self.observer.wait_for(f"{P}/status", online)
        self.fill()

        def lamp_faults(alarms):
            return [f for f in (alarms or {}).get("active", []) if f["kind"] == "lamp_failure"]
        since = len(self.observer.snapshot())
        control("lamp-failure 0 on")
        # Its insert fails (storage_failure appears), yet the crew sees the lamp.
        alarms = self.observer.wait_for(f"{P}/alarms", lambda a: lamp_faults(a) and storage_faults(a), since=since)
        shown = lamp_faults(alarms)[0]
        self.assertEqual(shown["target"], "luminaire/L-11")
        self.assertNotEqual(shown["id"], storage_faults(alarms)[0]["id"])

        since = len(self.observer.snapshot())
        os.remove(os.path.join(self.dir, "filler"))
        raised = self.observer.wait_for(f"{P}/event", lambda e: e and e.get("type") == "fault.raised"
                                        and e["fault"]["kind"] == "lamp_failure", since=since)["fault"]
        self.assertEqual(raised["since"], shown["since"])
        self.observer.wait_for(f"{P}/alarms", lambda a: a is not None and not storage_faults(a)
                               and [f["id"] for f in lamp_faults(a)] == [raised["id"]], since=since)
        history = self.observer.request(P, "faults/list", {"active_only": False})
        lamps = [f for f in history["data"]["faults"] if f["kind"] == "lamp_failure"]
        self.assertEqual([(f["id"], f["cleared"]) for f in lamps], [(raised["id"], None)], history)
        self.assertIn("held fault changes stored and sent", daemon.stderr())
        self.assertEqual(daemon.stop(signal.SIGTERM), 0, daemon.stderr()[-2500:])
        self.assertEqual(integrity(self.store), "ok")


if __name__ == "__main__":
    unittest.main()
