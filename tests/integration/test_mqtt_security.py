"""TLS with hostname verification, password authentication and the ACL from
deploy/mosquitto/ that confines each gateway to lykta/<its id>/#."""
import os
import shutil
import signal
import subprocess
import tempfile
import unittest

from harness import SOURCE, Lyktad, Mosquitto, Observer, free_port, minimal_config, wait_port, wait_until, write_config

P = "lykta/test-gw"
CERT_SCRIPT = os.path.join(SOURCE, "deploy/mosquitto/make-test-certs.sh")
ACL_FILE = os.path.join(SOURCE, "deploy/mosquitto/lykta.acl")


def online(p):
    return isinstance(p, dict) and p.get("state") == "online"


def make_certs(directory, *names):
    subprocess.run(["sh", CERT_SCRIPT, directory, *names], check=True, capture_output=True)
    # mosquitto drops root privileges to its own user: let it read its key
    os.chmod(directory, 0o755)
    for name in os.listdir(directory):
        os.chmod(os.path.join(directory, name), 0o644)
    return directory


class Tls(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-tls-")
        os.chmod(self.dir, 0o755)
        self.store = os.path.join(self.dir, "lykta.db")

    def broker_with(self, certs):
        plain = free_port()  # observers use a plain listener; the gateway uses TLS
        broker = Mosquitto(
            listener_extra=(f"cafile {certs}/ca.pem\ncertfile {certs}/server.pem\nkeyfile {certs}/server.key\n"),
            extra=f"listener {plain} 127.0.0.1\n")
        self.addCleanup(broker.stop)
        wait_port(plain)
        return broker, plain

    def daemon_config(self, broker, certs, tls_extra=""):
        text = minimal_config(broker.port, self.store).replace(
            f"uri: tcp://127.0.0.1:{broker.port}",
            f"uri: ssl://127.0.0.1:{broker.port}\n  tls: {{ ca_file: {certs}/ca.pem{tls_extra} }}")
        return write_config(self.dir, text)

    def test_a_certificate_for_this_host_is_accepted(self):
        certs = make_certs(os.path.join(self.dir, "good"), "localhost", "127.0.0.1")
        broker, plain = self.broker_with(certs)
        with Observer(plain, [f"{P}/#"]) as obs:
            daemon = Lyktad(self.daemon_config(broker, certs))
            self.addCleanup(daemon.stop)
            obs.wait_for(f"{P}/status", online)
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")
            self.assertNotIn("hostname verification is OFF", daemon.stderr())

    def test_a_certificate_for_another_host_is_refused(self):
        certs = make_certs(os.path.join(self.dir, "wrong"), "wrong.example")
        broker, plain = self.broker_with(certs)
        daemon = Lyktad(self.daemon_config(broker, certs))
        self.addCleanup(daemon.stop)
        wait_until(lambda: f"connect to ssl://127.0.0.1:{broker.port} failed" in daemon.stderr(),
                   what="the refused TLS connect")
        with Observer(plain, [f"{P}/status", "marker/done"]) as obs:
            # a retained status is delivered on subscribe, before a marker published afterwards
            obs.publish("marker/done", {"done": True})
            obs.wait_for("marker/done")
            self.assertFalse([m for m in obs.snapshot() if m.topic == f"{P}/status"])
        self.assertTrue(daemon.running())

    def test_hostname_verification_can_be_turned_off_explicitly_with_a_warning(self):
        certs = make_certs(os.path.join(self.dir, "wrong"), "wrong.example")
        broker, plain = self.broker_with(certs)
        with Observer(plain, [f"{P}/#"]) as obs:
            daemon = Lyktad(self.daemon_config(broker, certs, ", verify_hostname: false"))
            self.addCleanup(daemon.stop)
            obs.wait_for(f"{P}/status", online)
            self.assertIn("TLS hostname verification is OFF", daemon.stderr())

    def test_a_broker_that_requires_client_certificates_accepts_the_configured_one(self):
        certs = make_certs(os.path.join(self.dir, "mutual"), "localhost", "127.0.0.1")
        plain = free_port()
        broker = Mosquitto(
            listener_extra=(f"cafile {certs}/ca.pem\ncertfile {certs}/server.pem\nkeyfile {certs}/server.key\n"
                            "require_certificate true\nuse_identity_as_username true\n"),
            extra=f"listener {plain} 127.0.0.1\n")
        self.addCleanup(broker.stop)
        wait_port(plain)
        with Observer(plain, [f"{P}/#"]) as obs:
            daemon = Lyktad(self.daemon_config(
                broker, certs, f", cert_file: {certs}/client.pem, key_file: {certs}/client.key"))
            self.addCleanup(daemon.stop)
            obs.wait_for(f"{P}/status", online)
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")

    def test_without_a_client_certificate_the_broker_refuses_and_the_daemon_keeps_retrying(self):
        certs = make_certs(os.path.join(self.dir, "mutual"), "localhost", "127.0.0.1")
        broker = Mosquitto(
            listener_extra=(f"cafile {certs}/ca.pem\ncertfile {certs}/server.pem\nkeyfile {certs}/server.key\n"
                            "require_certificate true\n"))
        self.addCleanup(broker.stop)
        daemon = Lyktad(self.daemon_config(broker, certs))
        self.addCleanup(daemon.stop)
        wait_until(lambda: daemon.stderr().count(f"connect to ssl://127.0.0.1:{broker.port} failed") >= 2,
                   what="two refused TLS connects (retrying)")
        self.assertTrue(daemon.running())

    def test_websockets_over_tls(self):
        certs = make_certs(os.path.join(self.dir, "wss"), "localhost", "127.0.0.1")
        plain = free_port()
        broker = Mosquitto(
            listener_extra=(f"protocol websockets\ncafile {certs}/ca.pem\ncertfile {certs}/server.pem\n"
                            f"keyfile {certs}/server.key\n"),
            extra=f"listener {plain} 127.0.0.1\nprotocol mqtt\n")
        self.addCleanup(broker.stop)
        wait_port(plain)
        text = minimal_config(broker.port, self.store).replace(
            f"uri: tcp://127.0.0.1:{broker.port}",
            f"uri: wss://localhost:{broker.port}/mqtt\n  tls: {{ ca_file: {certs}/ca.pem }}")
        with Observer(plain, [f"{P}/#"]) as obs:
            daemon = Lyktad(write_config(self.dir, text))
            self.addCleanup(daemon.stop)
            obs.wait_for(f"{P}/status", online)
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")


class PasswordAndAcl(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-acl-")
        os.chmod(self.dir, 0o755)
        self.store = os.path.join(self.dir, "lykta.db")
        passwd = os.path.join(self.dir, "broker.passwd")
        for i, (user, password) in enumerate([("platform", "platform-pw"), ("test-gw", "gw-secret-1"),
                                              ("other-gw", "other-pw")]):
            args = ["mosquitto_passwd", "-b"] + (["-c"] if i == 0 else []) + [passwd, user, password]
            subprocess.run(args, check=True, capture_output=True)
        os.chmod(passwd, 0o644)
        acl = os.path.join(self.dir, "lykta.acl")
        shutil.copy(ACL_FILE, acl)
        os.chmod(acl, 0o644)
        self.broker = Mosquitto(allow_anonymous=False, extra=f"password_file {passwd}\nacl_file {acl}\n")
        self.addCleanup(self.broker.stop)

    def platform(self, topics):
        obs = Observer(self.broker.port, topics, username="platform", password="platform-pw")
        self.addCleanup(obs.close)
        return obs

    def gateway_config(self, password, mode=0o600):
        secret = os.path.join(self.dir, "mqtt.pass")
        with open(secret, "w") as f:
            f.write(password + "\n")
        os.chmod(secret, mode)
        text = minimal_config(self.broker.port, self.store, mqtt_extra=(
            f"  username: test-gw\n  password_file: {secret}\n"))
        return write_config(self.dir, text)

    def test_gateway_logs_in_with_its_password_file(self):
        obs = self.platform([f"{P}/#"])
        daemon = Lyktad(self.gateway_config("gw-secret-1"))
        self.addCleanup(daemon.stop)
        obs.wait_for(f"{P}/status", online)
        self.assertEqual(obs.request(P, "republish", {})["status"], "ok")
        self.assertEqual(daemon.stop(signal.SIGTERM), 0)
        obs.wait_for(f"{P}/status", lambda p: p and p.get("reason") == "shutdown")
        log = daemon.stderr()
        self.assertNotIn("gw-secret-1", log)
        self.assertNotIn("readable by every user", log)

    def test_a_world_readable_password_file_is_warned_about(self):
        obs = self.platform([f"{P}/#"])
        daemon = Lyktad(self.gateway_config("gw-secret-1", mode=0o644))
        self.addCleanup(daemon.stop)
        obs.wait_for(f"{P}/status", online)
        self.assertIn("readable by every user", daemon.stderr())
        self.assertNotIn("gw-secret-1", daemon.stderr())

    def test_an_unreadable_password_file_is_named_and_the_daemon_runs_on(self):
        # The lighting does not need the uplink (test_uplink_credentials.py has the whole story).
        text = minimal_config(self.broker.port, self.store, mqtt_extra=(
            f"  username: test-gw\n  password_file: {self.dir}/missing.pass\n"))
        daemon = Lyktad(write_config(self.dir, text))
        self.addCleanup(daemon.stop)
        wait_until(lambda: f"mqtt.password_file {self.dir}/missing.pass cannot be read" in daemon.stderr(),
                   what="the unreadable password file in the log")
        self.assertTrue(daemon.running())

    def test_a_wrong_password_is_refused_and_retried(self):
        daemon = Lyktad(self.gateway_config("not-the-password"))
        self.addCleanup(daemon.stop)
        wait_until(lambda: daemon.stderr().count(f"connect to tcp://127.0.0.1:{self.broker.port} failed") >= 2,
                   what="two refused connects")
        self.assertNotIn("not-the-password", daemon.stderr())

    def test_a_gateway_cannot_publish_or_read_outside_its_prefix(self):
        obs = self.platform(["lykta/#"])
        intruder = Observer(self.broker.port, ["lykta/other-gw/#"], username="test-gw", password="gw-secret-1",
                            client_id="test-gw-probe")
        self.addCleanup(intruder.close)
        # other-gw's traffic is not visible to test-gw
        other = Observer(self.broker.port, ["unused/topic"], username="other-gw", password="other-pw")
        self.addCleanup(other.close)
        other.publish("lykta/other-gw/status", {"state": "online"})
        intruder.publish("lykta/other-gw/status", {"state": "offline", "forged": True})
        intruder.publish("lykta/test-gw/probe", {"n": 1})
        obs.wait_for("lykta/test-gw/probe")
        other.publish("lykta/other-gw/event", {"type": "after"})
        obs.wait_for("lykta/other-gw/event")
        forged = [m for m in obs.snapshot() if m.topic == "lykta/other-gw/status" and b"forged" in m.payload]
        self.assertEqual(forged, [])
        self.assertEqual([m for m in intruder.snapshot() if m.topic.startswith("lykta/other-gw/")], [])


if __name__ == "__main__":
    unittest.main()
