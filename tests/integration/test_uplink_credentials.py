"""A credential file the uplink cannot read does not stop the lighting
(issue 21): lyktad starts against a mosquitto that requires passwords with
mqtt.password_file missing, runs the policy on the DALI bus, shows an
uplink_credentials fault on its control socket, and comes online by itself,
fault cleared, once the file is provisioned. `--check` warns about it."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import test_dali_gateway as dali_test
from test_time_arguments import CONFIG as LIGHTING  # one luminaire on bus1, 20 % all day
from harness import BIN, SOURCE, Lyktad, Mosquitto, Observer, Sim, minimal_config, wait_until, write_config

P = "lykta/test-gw"


def lyktactl(config, *args):
    return subprocess.run([os.path.join(BIN, "lyktactl"), "--config", config, *args],
                          capture_output=True, text=True, timeout=30)


class MissingPasswordFile(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-cred-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        os.chmod(self.dir, 0o755)
        passwd = os.path.join(self.dir, "broker.passwd")
        for i, (user, password) in enumerate([("platform", "platform-pw"), ("test-gw", "gw-secret-1")]):
            args = ["mosquitto_passwd", "-b"] + (["-c"] if i == 0 else []) + [passwd, user, password]
            subprocess.run(args, check=True, capture_output=True)
        os.chmod(passwd, 0o644)
        acl = os.path.join(self.dir, "lykta.acl")
        shutil.copy(os.path.join(SOURCE, "deploy/mosquitto/lykta.acl"), acl)
        os.chmod(acl, 0o644)
        self.broker = Mosquitto(allow_anonymous=False, extra=f"password_file {passwd}\nacl_file {acl}\n")
        self.addCleanup(self.broker.stop)
        self.sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "1", "--control", "127.0.0.1:0")
        self.addCleanup(self.sim.stop)
        port = int(self.sim.read_line("listening ").rsplit(":", 1)[1])
        self.control = dali_test.SimControl(self.sim)
        self.addCleanup(self.control.close)
        self.secret = os.path.join(self.dir, "mqtt.pass")
        self.config = write_config(self.dir, minimal_config(
            self.broker.port, os.path.join(self.dir, "lykta.db"), extra=LIGHTING.format(port=port),
            mqtt_extra=f"  username: test-gw\n  password_file: {self.secret}\n"))

    def active_faults(self):
        out = lyktactl(self.config, "faults", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def credentials_faults(self):
        return [f for f in self.active_faults() if f["kind"] == "uplink_credentials"]

    def test_check_warns_but_passes(self):
        out = subprocess.run([os.path.join(BIN, "lyktad"), "--check", self.config],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(f"warning: mqtt.password_file {self.secret} cannot be read", out.stderr)
        self.assertIn("ok:", out.stdout)

    def test_the_lighting_runs_and_the_uplink_comes_online_once_the_file_exists(self):
        platform = Observer(self.broker.port, [f"{P}/#"], username="platform", password="platform-pw")
        self.addCleanup(platform.close)
        daemon = Lyktad(self.config)
        self.addCleanup(daemon.stop)

        # The policy reaches the gear (20 % all day) although the uplink cannot log in.
        wait_until(lambda: self.control.value("level? 0") == dali_test.level_of(20), 20,
                   what="the schedule's level on the DALI gear")
        self.assertTrue(daemon.running())
        wait_until(lambda: self.credentials_faults(), 20, what="uplink_credentials on the control socket")
        fault = self.credentials_faults()[0]
        self.assertEqual(fault["target"], "gateway/uplink")
        self.assertIn(self.secret, fault["detail"])
        self.assertFalse([m for m in platform.snapshot() if m.topic == f"{P}/status"])

        with open(self.secret, "w") as f:
            f.write("gw-secret-1\n")
        os.chmod(self.secret, 0o600)
        platform.wait_for(f"{P}/status", lambda p: p and p.get("state") == "online", timeout=30)
        wait_until(lambda: not self.credentials_faults(), 20, what="uplink_credentials cleared")
        # The platform hears of both, in order, and P/alarms no longer lists it.
        raised = platform.wait_for(f"{P}/event", lambda e: e and e.get("type") == "fault.raised"
                                   and e["fault"]["kind"] == "uplink_credentials")
        cleared = platform.wait_for(f"{P}/event", lambda e: e and e.get("type") == "fault.cleared"
                                    and e["fault"]["kind"] == "uplink_credentials")
        self.assertLess(raised["seq"], cleared["seq"])
        alarms = platform.wait_for(f"{P}/alarms")
        self.assertFalse([f for f in alarms["active"] if f["kind"] == "uplink_credentials"])
        self.assertNotIn("gw-secret-1", daemon.stderr())


if __name__ == "__main__":
    unittest.main()
