"""lyktactl over the broker: every verb that works on the box gives the same
output when it reaches the same gateway through a real mosquitto
(`--broker --gateway`), with MQTT 5 (response topic + correlation data) and
with 3.1.1 (P/response/<command> + id); error answers keep their exit status;
a gateway that does not answer is its own exit status (4) and message; the
broker may come from ~/.config/lykta/lyktactl.yaml. Also issue 21: the global
options (--config, --socket, --json) are accepted after the verb."""
import glob
import json
import os
import re
import signal
import subprocess
import tempfile
import unittest

from harness import BIN, Lyktad, Mosquitto, Observer, Sim, minimal_config, wait_until, write_config

GATEWAY = "bastad-c01"
PREFIX = f"lykta/{GATEWAY}"
TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def site_config(broker_port, store, dali_port):
    return minimal_config(broker_port, store, gateway_id=GATEWAY, extra=f"""
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{dali_port}", sweep_s: 0.3 }}
luminaires:
  - {{ id: L-1, bus: bus1, address: 0, area: torget, location: {{ lat: 56.430, lon: 12.850, street: "Storgatan 1" }} }}
  - {{ id: L-2, bus: bus1, address: 1, area: torget, location: {{ lat: 56.431, lon: 12.851, street: "Storgatan 3" }} }}
  - {{ id: L-9, bus: bus1, address: 9, area: hamnen }}
areas:
  - {{ id: torget, profile: centrum }}
  - {{ id: hamnen, profile: centrum }}
profiles:
  centrum:
    - {{ at: "sunset", level: 100 }}
    - {{ at: "23:00", level: 50 }}
    - {{ at: "sunrise", level: 0 }}
""")


def run(*args, env=None, timeout=60):
    return subprocess.run([os.path.join(BIN, "lyktactl"), *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


class RemoteVerbsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="lykta-remote-")
        cls.broker = Mosquitto()
        cls.sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "2", "--seed", "3")
        port = int(cls.sim.read_line("listening ").rsplit(":", 1)[1])
        cls.config = write_config(cls.dir.name, site_config(
            cls.broker.port, os.path.join(cls.dir.name, "lykta.db"), port))
        cls.observer = Observer(cls.broker.port, topics=(f"{PREFIX}/#",))
        cls.daemon = Lyktad(cls.config)
        cls.observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online")
        # L-9 has no gear: wait for its fault so the fault lists are settled.
        cls.observer.wait_for(f"{PREFIX}/alarms", lambda p: p and any(
            f.get("target") == "luminaire/L-9" for f in p.get("active", [])), timeout=30)
        cls.broker_args = ("--broker", cls.broker.uri, "--gateway", GATEWAY)

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()
        cls.observer.close()
        cls.sim.stop()
        cls.broker.stop()
        cls.dir.cleanup()

    def local(self, *args):
        return run("--config", self.config, *args)

    def remote(self, *args, version=None):
        extra = ("--mqtt-version", version) if version else ()
        return run(*self.broker_args, *extra, *args)

    def assert_same(self, *args, normalise=lambda text: text):
        """The remote output equals the local one; a local run on each side of it
        proves the gateway's answer did not change meanwhile (else it is asked again)."""
        for _ in range(5):
            before = self.local(*args)
            remote = {v: self.remote(*args, version=v) for v in ("5", "3")}
            after = self.local(*args)
            if normalise(before.stdout) != normalise(after.stdout):
                continue
            self.assertEqual(before.returncode, 0, before.stderr)
            for version, out in remote.items():
                self.assertEqual(out.returncode, before.returncode, f"MQTT {version}: {out.stderr}")
                self.assertEqual(normalise(out.stdout), normalise(before.stdout), f"MQTT {version}")
                self.assertEqual(out.stderr, before.stderr, f"MQTT {version}")
            self.assertTrue(before.stdout.strip(), "the verb printed nothing")
            return before.stdout
        self.fail(f"{args}: the gateway's answer kept changing")

    def test_explain_inventory_faults_reports_and_call_match_the_local_output(self):
        self.assert_same("explain", "--area", "torget", "--at", "2026-12-07T22:00:00+01:00")
        self.assert_same("explain", "--luminaire", "L-1", "--at", "2026-12-07T23:30:00+01:00", "--json")
        self.assert_same("inventory", "--csv")
        self.assert_same("inventory", "--json")
        self.assert_same("inventory")
        faults = self.assert_same("faults", "--json")
        self.assertIn("luminaire/L-9", faults)
        self.assert_same("faults")
        self.assert_same("faults", "--all")
        self.assert_same("report", "stats", "--from", "2026-12-01", "--to", "2026-12-07", "--json")
        self.assert_same("report", "stats", "--from", "2026-12-01", "--to", "2026-12-07", "--csv")
        self.assert_same("report", "stats", "--from", "2026-12-01", "--to", "2026-12-07", "--html")
        self.assert_same("call", "schedule/get")

    def test_maintenance_page_is_the_same(self):
        pages = {}
        for name, args in (("local", ("--config", self.config)), ("remote", self.broker_args)):
            path = os.path.join(self.dir.name, f"{name}.html")
            out = run(*args, "report", "maintenance", "--out", path)
            self.assertEqual(out.returncode, 0, out.stderr)
            with open(path) as f:
                pages[name] = TIME.sub("TIME", f.read())
        self.assertIn("L-9", pages["local"])
        self.assertEqual(pages["remote"], pages["local"])

    def test_error_answers_keep_their_code_and_exit_status(self):
        for args in (("faults", "ack", "F-999999"), ("explain", "--area", "nowhere"),
                     ("call", "no/such/command")):
            local = self.local(*args)
            self.assertEqual(local.returncode, 1, local.stderr)
            for version in ("5", "3"):
                remote = self.remote(*args, version=version)
                self.assertEqual(remote.returncode, 1)
                self.assertEqual(remote.stderr, local.stderr)

    def test_acknowledge_remotely(self):
        fault = next(f for f in json.loads(self.local("faults", "--json").stdout)
                     if f["target"] == "luminaire/L-9")
        out = self.remote("faults", "ack", fault["id"], "--by", "crew-3", "--note", "remote")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), f"{fault['id']} acknowledged")
        again = self.local("faults", "ack", fault["id"])
        self.assertEqual(again.stdout.strip(), f"{fault['id']} was already acknowledged")

    def test_unknown_gateway_times_out_with_its_own_exit_status(self):
        out = run("--broker", self.broker.uri, "--gateway", "nobody-here", "--timeout", "1", "explain",
                  "--area", "torget")
        self.assertEqual(out.returncode, 4, out.stderr)
        self.assertIn("gateway nobody-here did not answer explain within 1 s", out.stderr)
        self.assertIn("no status for it", out.stderr)

    def test_unreachable_broker_is_its_own_exit_status(self):
        with Mosquitto() as gone:
            uri = gone.uri
        out = run("--broker", uri, "--gateway", GATEWAY, "--timeout", "2", "faults")
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertIn(f"cannot connect to broker {uri}", out.stderr)

    def test_settings_file_gives_the_broker(self):
        home = os.path.join(self.dir.name, "home")
        os.makedirs(os.path.join(home, ".config/lykta"), exist_ok=True)
        with open(os.path.join(home, ".config/lykta/lyktactl.yaml"), "w") as f:
            f.write(f"broker: {self.broker.uri}\nmqtt_version: 3\ntimeout_s: 5\ncolour: blue\n")
        env = dict(os.environ, HOME=home)
        env.pop("XDG_CONFIG_HOME", None)
        out = run("--gateway", GATEWAY, "faults", "--json", env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("luminaire/L-9", out.stdout)
        self.assertIn("lyktactl.yaml:4:1: unknown setting 'colour'", out.stderr)


class SilentGatewayTest(unittest.TestCase):
    """A gateway whose process hangs (SIGSTOP): online by its retained status, no answer."""

    def test_timeout_says_when_the_gateway_was_last_seen(self):
        with tempfile.TemporaryDirectory(prefix="lykta-silent-") as d, Mosquitto() as broker, \
                Observer(broker.port, topics=(f"{PREFIX}/status",)) as observer:
            config = write_config(d, minimal_config(broker.port, os.path.join(d, "lykta.db"), gateway_id=GATEWAY))
            with Lyktad(config) as daemon:
                observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online")
                daemon.signal(signal.SIGSTOP)
                try:
                    out = run("--broker", broker.uri, "--gateway", GATEWAY, "--timeout", "1", "explain",
                              "--area", "x")
                finally:
                    daemon.signal(signal.SIGCONT)
                self.assertEqual(out.returncode, 4, out.stderr)
                self.assertRegex(out.stderr, rf"gateway {GATEWAY} did not answer explain within 1 s; "
                                             r"last seen online \d+ s ago")
                daemon.kill()
                observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "offline")
                out = run("--broker", broker.uri, "--gateway", GATEWAY, "--timeout", "1", "faults")
                self.assertEqual(out.returncode, 4, out.stderr)
                self.assertIn("it is offline (connection-lost)", out.stderr)


class OptionsAfterTheVerbTest(unittest.TestCase):
    """Issue 21: `lyktactl inventory --config FILE --json` works like `lyktactl --config FILE inventory --json`."""

    def test_global_options_before_or_after_the_verb(self):
        with tempfile.TemporaryDirectory(prefix="lykta-opts-") as d, Mosquitto() as broker, \
                Sim("dali", "--listen", "127.0.0.1:0", "--gear", "1") as sim:
            port = int(sim.read_line("listening ").rsplit(":", 1)[1])
            store = os.path.join(d, "lykta.db")
            config = write_config(d, minimal_config(broker.port, store, gateway_id=GATEWAY, extra=f"""
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{port}", sweep_s: 1 }}
luminaires:
  - {{ id: L-1, bus: bus1, address: 0, area: torget }}
areas:
  - {{ id: torget, profile: centrum }}
profiles:
  centrum:
    - {{ at: "12:00", level: 40 }}
"""))
            socket_path = os.path.join(d, "lyktad.sock")
            with Lyktad(config):
                wait_until(lambda: os.path.exists(socket_path), what="the control socket")
                # The gateway reads the gear's memory banks once at start: wait for it so
                # that every spelling below sees the same record.
                def inventory_read():
                    out = run("--config", config, "--json", "inventory")
                    return out if out.returncode == 0 and json.loads(out.stdout)[0]["read_at"] else None
                expected = wait_until(inventory_read, what="the inventory read at start")
                self.assertEqual(json.loads(expected.stdout)[0]["luminaire"], "L-1")
                for args in (("inventory", "--config", config, "--json"),
                             ("inventory", "--json", "--config", config),
                             ("--json", "inventory", "--config", config),
                             ("inventory", "--socket", socket_path, "--json"),
                             ("--config", config, "inventory", "--json")):
                    out = run(*args)
                    self.assertEqual(out.returncode, 0, f"{args}: {out.stderr}")
                    self.assertEqual(out.stdout, expected.stdout, args)
                out = run("faults", "--socket", socket_path, "--json")
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIsInstance(json.loads(out.stdout), list)
                out = run("explain", "--area", "torget", "--config", config, "--json")
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIn("stack", json.loads(out.stdout))
                out = run("faults", "ack", "F-1", "--socket", socket_path)
                self.assertEqual(out.returncode, 1)
                self.assertIn("unknown_fault", out.stderr)


class RefusedSubscriptionTest(unittest.TestCase):
    """A broker whose ACL refuses the answer topic stops lyktactl at once with the
    broker's reason, instead of every verb waiting out --timeout and blaming the
    gateway."""

    def broker_denying(self, pattern):
        # mosquitto's acl_file only filters deliveries (2.0 grants every SUBSCRIBE);
        # its dynamic security plugin refuses subscriptions in the SUBACK, as a
        # platform's broker with per-client ACLs does.
        plugin = next((p for p in glob.glob("/usr/lib/*/mosquitto_dynamic_security.so")), None)
        if plugin is None:
            self.fail("mosquitto_dynamic_security.so not found (package mosquitto)")
        directory = tempfile.TemporaryDirectory(prefix="lykta-acl-ctl-")
        self.addCleanup(directory.cleanup)
        dynsec = os.path.join(directory.name, "dynsec.json")
        with open(dynsec, "w") as f:
            # Anonymous clients: everything but subscriptions matching `pattern`.
            json.dump({"defaultACLAccess": {"publishClientSend": True, "publishClientReceive": True,
                                            "subscribe": True, "unsubscribe": True},
                       "clients": [],
                       "groups": [{"groupname": "anonymous", "roles": [{"rolename": "no-answers"}]}],
                       "roles": [{"rolename": "no-answers", "acls": [
                           {"acltype": "subscribePattern", "topic": pattern, "priority": 0,
                            "allow": False}]}],
                       "anonymousGroup": "anonymous"}, f)
        # Started as root, mosquitto drops to its own user, which rewrites the file.
        os.chmod(directory.name, 0o755)
        os.chmod(dynsec, 0o666)
        broker = Mosquitto(extra=f"plugin {plugin}\nplugin_opt_config_file {dynsec}\n")
        self.addCleanup(broker.stop)
        return broker

    def test_the_refusal_is_reported_with_its_reason_code(self):
        broker = self.broker_denying("lykta/+/response/#")
        for version, filter_, reason in (("5", "lykta/+/response/_lyktactl/", "reason 0x87"),
                                         ("3", "lykta/+/response/faults/list", "reason 0x80")):
            with self.subTest(mqtt=version):
                out = run("--broker", broker.uri, "--mqtt-version", version, "--gateway", GATEWAY,
                          "--timeout", "30", "faults", timeout=25)
                self.assertEqual(out.returncode, 3, out.stderr)
                self.assertIn(f"broker {broker.uri} refused the subscription to {filter_}", out.stderr)
                self.assertIn(reason, out.stderr)
                self.assertNotIn("did not answer", out.stderr)

    def test_one_refused_filter_of_several_is_not_ignored(self):
        # fleet status subscribes to status, info and alarms in one SUBSCRIBE: the
        # broker accepts two and refuses one, which the client library reports as
        # success; without the reason codes the fleet would show no faults.
        broker = self.broker_denying("lykta/+/alarms")
        for version, reason in (("5", "reason 0x87"), ("3", "reason 0x80")):
            with self.subTest(mqtt=version):
                out = run("--broker", broker.uri, "--mqtt-version", version, "--timeout", "5", "fleet", "status")
                self.assertEqual(out.returncode, 3, out.stdout + out.stderr)
                self.assertIn(f"broker {broker.uri} refused the subscription to lykta/+/alarms: {reason}",
                              out.stderr)


if __name__ == "__main__":
    unittest.main()
