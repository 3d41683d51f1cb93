"""lyktactl fleet status and fleet faults against several real lyktad on one
mosquitto (each with its own DALI simulator; one configured gear is missing, so
every gateway has a fault with a pole location): the retained view of every
gateway, gateways killed (offline by their will), a hung gateway found offline
by its missed heartbeats (--listen), and the faults of all gateways as table,
CSV, JSON and a self-contained HTML page, with a killed gateway's retained
alarms kept and the gateway named. The issue asks for 20 gateways; the shared
2-core build machine runs FLEET_SIZE (default 6) to keep the suite's load sane."""
import csv
import io
import json
import os
import signal
import subprocess
import tempfile
import unittest
import xml.dom.minidom

from harness import BIN, Lyktad, Mosquitto, Observer, Sim, minimal_config, write_config

FLEET_SIZE = int(os.environ.get("LYKTA_FLEET_SIZE", "6"))


def gateway_config(broker_port, directory, index, dali_port):
    text = minimal_config(broker_port, os.path.join(directory, "lykta.db"), gateway_id=f"bastad-c{index:02d}",
                          extra=f"""
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{dali_port}", sweep_s: 0.3 }}
luminaires:
  - {{ id: L-1, bus: bus1, address: 0, area: torget, location: {{ lat: 56.43{index}, lon: 12.85, street: "Storgatan {index}" }} }}
  - {{ id: L-2, bus: bus1, address: 5, area: hamnen, location: {{ lat: 56.44{index}, lon: 12.86, street: "Hamngatan {index}" }} }}
areas:
  - {{ id: torget, profile: centrum, safety_profile: trygg }}
  - {{ id: hamnen, profile: centrum, safety_profile: trygg }}
profiles:
  centrum:
    - {{ at: "12:00", level: 60 }}
  trygg:
    - {{ at: "12:00", level: 90 }}
""")
    return text.replace("heartbeat_s: 60", "heartbeat_s: 1").replace('name: "Test cabinet"',
                                                                    f'name: "Cabinet {index}, Båstad"')


def lyktactl(*args, timeout=60):
    return subprocess.run([os.path.join(BIN, "lyktactl"), *args], capture_output=True, text=True, timeout=timeout)


class FleetTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="lykta-fleet-")
        self.addCleanup(self.dir.cleanup)
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.observer = Observer(self.broker.port, topics=("lykta/+/status", "lykta/+/alarms", "lykta/+/response/#"))
        self.addCleanup(self.observer.close)
        self.daemons = {}
        for i in range(1, FLEET_SIZE + 1):
            sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "1")
            self.addCleanup(sim.stop)
            port = int(sim.read_line("listening ").rsplit(":", 1)[1])
            d = os.path.join(self.dir.name, f"gw{i}")
            os.mkdir(d)
            daemon = Lyktad(write_config(d, gateway_config(self.broker.port, d, i, port)))
            self.addCleanup(daemon.stop)
            self.daemons[f"bastad-c{i:02d}"] = daemon
        for gw in self.daemons:
            self.observer.wait_for(f"lykta/{gw}/status", lambda p: p and p.get("state") == "online", timeout=30)
            self.observer.wait_for(f"lykta/{gw}/alarms", lambda p: p and any(
                f.get("target") == "luminaire/L-2" for f in p.get("active", [])), timeout=30)

    def fleet(self, *args):
        return lyktactl("--broker", self.broker.uri, "fleet", *args)

    def status(self, *args):
        out = self.fleet("status", "--json", *args)
        self.assertEqual(out.returncode, 0, out.stderr)
        return {r["id"]: r for r in json.loads(out.stdout)}

    def test_status_with_gateways_killed_and_one_hung(self):
        records = self.status()
        self.assertEqual(sorted(records), sorted(self.daemons))
        for gw, r in records.items():
            self.assertEqual(r["state"], "online", r)
            self.assertEqual(r["name"], f"Cabinet {int(gw[-2:])}, Båstad")
            self.assertEqual(r["api"], 1)
            self.assertRegex(r["config_hash"], r"^[0-9a-f]{16}$")
            self.assertGreaterEqual(r["faults"]["total"], 1)
            self.assertEqual(r["faults"]["total"],
                             r["faults"]["critical"] + r["faults"]["major"] + r["faults"]["minor"])
        table = self.fleet("status")
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertEqual(len(table.stdout.splitlines()), FLEET_SIZE + 1)
        self.assertIn(f"{FLEET_SIZE} gateways: {FLEET_SIZE} online, 0 offline", table.stderr)

        killed = sorted(self.daemons)[:2]
        for gw in killed:
            self.daemons[gw].kill()
            self.observer.wait_for(f"lykta/{gw}/status", lambda p: p and p.get("state") == "offline")
        hung = sorted(self.daemons)[2]
        self.daemons[hung].signal(signal.SIGSTOP)
        try:
            records = self.status("--listen", "3")
        finally:
            self.daemons[hung].signal(signal.SIGCONT)
        for gw, r in records.items():
            if gw in killed:
                self.assertEqual((r["state"], r["detail"]), ("offline", "connection-lost"))
            elif gw == hung:
                self.assertEqual((r["state"], r["detail"]), ("offline", "no heartbeat for 3 s"))
            else:
                self.assertEqual(r["state"], "online", r)
                self.assertIsNotNone(r["last_heartbeat"])
        rows = list(csv.DictReader(io.StringIO(self.fleet("status", "--csv").stdout)))
        self.assertEqual({r["gateway"]: r["state"] for r in rows if r["gateway"] in killed},
                         {gw: "offline" for gw in killed})

    def test_faults_of_every_gateway_with_locations(self):
        killed = sorted(self.daemons)[0]
        self.daemons[killed].kill()
        self.observer.wait_for(f"lykta/{killed}/status", lambda p: p and p.get("state") == "offline")
        out = lyktactl("--broker", self.broker.uri, "--timeout", "2", "fleet", "faults", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        faults = json.loads(out.stdout)
        missing = [f for f in faults if f["target"] == "luminaire/L-2"]
        self.assertEqual(sorted(f["gateway"] for f in missing), sorted(self.daemons))
        for f in missing:
            if f["gateway"] == killed:
                self.assertNotIn("location", f)  # retained alarms only: it cannot be asked
            else:
                self.assertEqual(f["location"]["street"], f"Hamngatan {int(f['gateway'][-2:])}")
                self.assertEqual(f["area"], "hamnen")
        rank = {"critical": 0, "major": 1, "minor": 2}
        keys = [(rank[f["severity"]], f["since"]) for f in faults]
        self.assertEqual(keys, sorted(keys))
        self.assertIn(f"no faults/list answer (retained alarms shown) from: {killed}", out.stderr)

        table = lyktactl("--broker", self.broker.uri, "--timeout", "2", "fleet", "faults")
        self.assertIn("Hamngatan 2", table.stdout)
        rows = list(csv.DictReader(io.StringIO(
            lyktactl("--broker", self.broker.uri, "--timeout", "2", "fleet", "faults", "--csv").stdout)))
        self.assertEqual(len(rows), len(faults))
        self.assertEqual({r["luminaire"] for r in rows if r["street"].startswith("Hamngatan")}, {"L-2"})
        page = os.path.join(self.dir.name, "faults.html")
        out = lyktactl("--broker", self.broker.uri, "--timeout", "2", "fleet", "faults", "--html", "--out", page)
        self.assertEqual(out.returncode, 0, out.stderr)
        with open(page, encoding="utf-8") as f:
            text = f.read()
        document = xml.dom.minidom.parseString(text)  # well-formed, self-contained
        circles = document.getElementsByTagName("circle")
        self.assertEqual(len(circles), len([f for f in faults if "location" in f]))
        for namespace in ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml"):
            text = text.replace(namespace, "")
        self.assertNotIn("http://", text)
        self.assertNotIn("https://", text)
        self.assertIn(killed, text)


    def test_report_with_one_gateway_not_answering(self):
        import datetime
        hung = sorted(self.daemons)[1]
        today = datetime.date.today()
        period = ["--from", (today - datetime.timedelta(days=1)).isoformat(), "--to", today.isoformat()]
        compare = ["--compare-from", "2025-12-01", "--compare-to", "2025-12-02"]
        self.daemons[hung].signal(signal.SIGSTOP)
        try:
            out = lyktactl("--broker", self.broker.uri, "--timeout", "3", "fleet", "report", *period, *compare,
                           "--json")
            page = os.path.join(self.dir.name, "report.html")
            html = lyktactl("--broker", self.broker.uri, "--timeout", "3", "fleet", "report", *period, "--html",
                            "--out", page)
        finally:
            self.daemons[hung].signal(signal.SIGCONT)
        self.assertEqual(out.returncode, 0, out.stderr)
        report = json.loads(out.stdout)
        self.assertEqual(report["gateways"], FLEET_SIZE)
        self.assertEqual([m["gateway"] for m in report["missing"]], [hung])
        self.assertAlmostEqual(report["missing_share_pct"], 100.0 / FLEET_SIZE)
        answering = sorted(set(self.daemons) - {hung})
        self.assertEqual(sorted({r["gateway_area"].split("/")[0] for r in report["areas"]}), answering)
        # Every answering gateway raised one fault (L-2 has no gear) in the period, none in December 2025.
        self.assertEqual(report["town"]["period"]["faults_raised"], len(answering))
        self.assertEqual(report["town"]["compare"]["faults_raised"], 0)
        self.assertEqual(report["town"]["change"]["faults_raised"]["delta"], len(answering))
        self.assertEqual(html.returncode, 0, html.stderr)
        with open(page, encoding="utf-8") as f:
            document = xml.dom.minidom.parseString(f.read())
        self.assertTrue(document.getElementsByTagName("svg"))
        self.assertIn(hung, document.getElementsByTagName("p")[1].toxml())


    def test_malformed_answers_and_status_are_one_gateways_problem(self):
        # Two gateways that are not lyktad: one answers every request with an
        # envelope without its error object, the other has a retained status
        # with fields of the wrong type. Neither stops the fleet commands.
        import paho.mqtt.client as mqtt
        from paho.mqtt.properties import Properties
        from paho.mqtt.packettypes import PacketTypes
        fake = mqtt.Client(client_id="fake-gateways", protocol=mqtt.MQTTv5)
        subscribed = __import__("threading").Event()

        def answer(client, userdata, message):
            request = json.loads(message.payload)
            props = Properties(PacketTypes.PUBLISH)
            topic = getattr(message.properties, "ResponseTopic", None)
            if getattr(message.properties, "CorrelationData", None) is not None:
                props.CorrelationData = message.properties.CorrelationData
            command = message.topic.split("/request/", 1)[1]
            client.publish(topic or f"lykta/bastad-c98/response/{command}",
                           json.dumps({"id": request.get("id"), "status": "error"}), qos=1, properties=props)

        fake.on_message = answer
        fake.on_subscribe = lambda *a: subscribed.set()
        fake.connect("127.0.0.1", self.broker.port)
        fake.loop_start()
        self.addCleanup(fake.loop_stop)
        fake.subscribe("lykta/bastad-c98/request/#", qos=1)
        self.assertTrue(subscribed.wait(10))
        for gw, status in (("bastad-c98", {"state": "online", "since": "2026-12-01T00:00:00Z"}),
                           ("bastad-c99", {"state": 1, "since": 123, "reason": []})):
            self.observer.publish(f"lykta/{gw}/status", status, retain=True)
            self.observer.wait_for(f"lykta/{gw}/status", lambda p, s=status: p == s)

        status = self.status()
        self.assertEqual(status["bastad-c99"]["state"], "unknown")
        self.assertEqual(status["bastad-c01"]["state"], "online")

        import datetime
        today = datetime.date.today().isoformat()
        out = lyktactl("--broker", self.broker.uri, "--timeout", "5", "fleet", "report", "--from", today, "--to",
                       today, "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        report = json.loads(out.stdout)
        self.assertEqual(report["gateways"], FLEET_SIZE + 2)
        self.assertEqual([m["gateway"] for m in report["missing"]], ["bastad-c98", "bastad-c99"])
        self.assertAlmostEqual(report["missing_share_pct"], 200.0 / (FLEET_SIZE + 2))
        self.assertEqual(sorted({r["gateway_area"].split("/")[0] for r in report["areas"]}), sorted(self.daemons))
        self.assertIn("bastad-c98: report/get: bad_answer: gateway bastad-c98: the answer on lykta/bastad-c98/"
                      "response/", out.stderr)
        self.assertIn("is an error without an `error` object", out.stderr)

    def test_schedule_apply(self):
        path = os.path.join(self.dir.name, "schedules.yaml")
        with open(path, "w") as f:
            f.write('profiles:\n  centrum:\n    - { at: "12:00", level: 45 }\n'
                    '  trygg:\n    - { at: "12:00", level: 90 }\n')
        ids = sorted(self.daemons)
        killed = ids[2]
        self.daemons[killed].kill()
        self.observer.wait_for(f"lykta/{killed}/status", lambda p: p and p.get("state") == "offline")
        pattern = "bastad-c0[123]"

        def schedule(gw):
            return self.observer.request(f"lykta/{gw}", "schedule/get", {})["data"]

        dry = self.fleet("schedule", "apply", path, "--gateways", pattern, "--dry-run")
        self.assertEqual(dry.returncode, 1, dry.stderr)  # the killed one is not applied
        self.assertIn(f"{ids[0]} (revision 0): profiles: centrum changed\n", dry.stdout)
        self.assertEqual(schedule(ids[0])["revision"], 0)

        out = self.fleet("schedule", "apply", path, "--gateways", pattern)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn(f"{ids[0]}: applied, revision 1", out.stdout)
        self.assertIn(f"{ids[1]}: applied, revision 1", out.stdout)
        self.assertIn(f"{killed}: NOT APPLIED, offline (connection-lost)", out.stdout)
        self.assertEqual(schedule(ids[0])["profiles"]["centrum"]["steps"], [{"at": "12:00", "level": 45.0}])
        self.assertEqual(schedule(ids[3])["revision"], 0)  # not matched by the pattern
        again = self.fleet("schedule", "apply", path, "--gateways", "bastad-c0[12]")
        self.assertEqual(again.returncode, 0, again.stdout)
        self.assertIn(f"{ids[0]}: no change", again.stdout)

        bad = os.path.join(self.dir.name, "bad.yaml")
        with open(bad, "w") as f:
            f.write("profiles:\n  centrum: []\nareas: {}\n")
        out = self.fleet("schedule", "apply", bad)
        self.assertEqual(out.returncode, 2)
        self.assertIn("bad.yaml:3:1: unknown section 'areas'", out.stderr)


if __name__ == "__main__":
    unittest.main()
