"""lyktad as a process: refuses a bad config, starts, reloads on SIGHUP, stops cleanly."""
import os
import signal
import tempfile
import unittest

from harness import Lyktad, Mosquitto, Observer, minimal_config, write_config


class DaemonLifecycle(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-life-")
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.store = os.path.join(self.dir, "lykta.db")
        self.config = write_config(self.dir, minimal_config(self.broker.port, self.store))

    def test_refuses_to_start_on_an_invalid_config(self):
        bad = write_config(self.dir, minimal_config(self.broker.port, self.store).replace(
            "latitude: 56.4296", "latitude: 156.4296"), name="bad.yaml")
        daemon = Lyktad(bad)
        self.assertEqual(daemon.wait(), 1)
        err = daemon.stderr()
        self.assertIn("refusing to start", err)
        self.assertIn("bad.yaml:3:", err)
        daemon.stop()

    def test_starts_and_stops_cleanly_on_sigterm(self):
        with Observer(self.broker.port, ["lykta/test-gw/#"]) as obs:
            daemon = Lyktad(self.config)
            obs.wait_for("lykta/test-gw/status", lambda p: p and p.get("state") == "online")
            self.assertEqual(daemon.stop(signal.SIGTERM), 0)
            obs.wait_for("lykta/test-gw/status",
                         lambda p: p and p.get("state") == "offline" and p.get("reason") == "shutdown")
            self.assertIn("stopping (shutdown)", daemon.stderr())

    def test_sighup_with_a_broken_file_keeps_running(self):
        with Observer(self.broker.port, ["lykta/test-gw/#"]) as obs:
            daemon = Lyktad(self.config)
            self.addCleanup(daemon.stop)
            obs.wait_for("lykta/test-gw/status", lambda p: p and p.get("state") == "online")
            with open(self.config, "a") as f:
                f.write("no_such_section: 1\n")
            daemon.signal(signal.SIGHUP)
            from harness import wait_until
            wait_until(lambda: "keeping the running configuration" in daemon.stderr(), what="reload refusal")
            self.assertIn("no_such_section", daemon.stderr())
            self.assertTrue(daemon.running())

    def test_sighup_with_a_valid_file_reloads(self):
        with Observer(self.broker.port, ["lykta/test-gw/#"]) as obs:
            daemon = Lyktad(self.config)
            self.addCleanup(daemon.stop)
            first = obs.wait_for("lykta/test-gw/status", lambda p: p and p.get("state") == "online")
            with open(self.config) as f:
                text = f.read()
            with open(self.config, "w") as f:
                f.write(text.replace('name: "Test cabinet"', 'name: "Renamed cabinet"'))
            daemon.signal(signal.SIGHUP)
            obs.wait_for("lykta/test-gw/status",
                         lambda p: p and p.get("state") == "online" and p["session"] > first["session"])
            obs.wait_for("lykta/test-gw/info", lambda p: p and p.get("name") == "Renamed cabinet")
            self.assertTrue(daemon.running())


if __name__ == "__main__":
    unittest.main()
