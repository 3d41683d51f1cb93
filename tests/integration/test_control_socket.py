"""lyktactl reaches the running lyktad over its local control socket: the same
commands and error envelope as MQTT, with or without a broker."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import BIN, Lyktad, Mosquitto, Observer, minimal_config, wait_until, write_config


def lyktactl(config, *args, timeout=30):
    return subprocess.run([os.path.join(BIN, "lyktactl"), "--config", config, *args],
                          capture_output=True, text=True, timeout=timeout)


class ControlSocket(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-ctl-")
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.config = write_config(self.dir, minimal_config(self.broker.port, os.path.join(self.dir, "lykta.db")))
        self.socket = os.path.join(self.dir, "lyktad.sock")

    def start_daemon(self):
        daemon = Lyktad(self.config)
        self.addCleanup(daemon.stop)
        wait_until(lambda: os.path.exists(self.socket), what="the control socket")
        return daemon

    def test_commands_answer_like_over_mqtt(self):
        with Observer(self.broker.port, ["lykta/test-gw/#"]) as obs:
            self.start_daemon()
            obs.wait_for("lykta/test-gw/status", lambda p: p and p.get("state") == "online")
            out = lyktactl(self.config, "call", "republish")
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIsInstance(json.loads(out.stdout), dict)
            # the same command over MQTT gives the same kind of answer
            over_mqtt = obs.request("lykta/test-gw", "republish", {})
            self.assertEqual(over_mqtt["status"], "ok")

    def test_errors_are_reported_with_their_code(self):
        self.start_daemon()
        out = lyktactl(self.config, "call", "no/such/command")
        self.assertEqual(out.returncode, 1)
        self.assertIn("unknown_command", out.stderr)
        bad = lyktactl(self.config, "call", "republish", "[1, 2]")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("one JSON object", bad.stderr)

    def test_works_without_a_broker(self):
        self.broker.stop()
        self.start_daemon()
        out = lyktactl(self.config, "call", "no/such/command")
        self.assertIn("unknown_command", out.stderr)

    def test_socket_is_removed_on_shutdown_and_a_clear_error_follows(self):
        daemon = self.start_daemon()
        self.assertEqual(daemon.stop(), 0)
        self.assertFalse(os.path.exists(self.socket))
        out = lyktactl(self.config, "call", "republish")
        self.assertEqual(out.returncode, 3)  # exit_unreachable (docs/operations.md)
        self.assertIn(self.socket, out.stderr)
        self.assertIn("is the daemon running", out.stderr)


if __name__ == "__main__":
    unittest.main()
