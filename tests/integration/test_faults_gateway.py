"""Faults end to end: the real lyktad sweeps `lykta-sim dali` over TCP and polls
`lykta-sim modbus`, publishes through a real mosquitto, and answers lyktactl on
its control socket. A lamp failure injected in the DALI simulator becomes a
fault (event, P/alarms, lyktactl), is acknowledged over MQTT and clears when
the lamp is repaired; the cabinet door in the Modbus simulator does the same.
Short sweeps and polls and small debounce counts keep it to seconds."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import BIN, SOURCE, Lyktad, Mosquitto, Observer, Sim, minimal_config, write_config
from test_dali_gateway import SimControl as DaliControl
from test_modbus_gateway import SimControl as ModbusControl


class Site:
    """mosquitto + DALI sim (2 gear) + Modbus sim + lyktad, for the fault and report tests."""

    def __init__(self, gateway_id, gateway_name="Test cabinet", persistent_broker=False, meter=False):
        """meter=True adds the simulator's SDM630 (unit 1) as meter `m1` measuring torget."""
        self.prefix = f"lykta/{gateway_id}"
        self.dir = tempfile.mkdtemp(prefix="lykta-faults-")
        self.broker = Mosquitto(persistent=persistent_broker)
        self.dali = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "2", "--control", "127.0.0.1:0")
        dali_port = int(self.dali.read_line("listening ").rsplit(":", 1)[1])
        self.dali_control = DaliControl(self.dali)
        self.modbus = Sim("modbus", "--listen", "127.0.0.1:0")
        modbus_port = int(self.modbus.read_line("listening ").rsplit(":", 1)[1])
        self.modbus_control = ModbusControl(int(self.modbus.read_line("control ").rsplit(":", 1)[1]))
        templates = os.path.join(SOURCE, "config/templates")
        meter_device = ("    - { id: m1, network: lan, unit: 1, template: sdm630, poll_s: 0.2, full_publish_s: 1,"
                        " areas: [torget] }\n" if meter else "")
        extra = f"""dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{dali_port}", sweep_s: 0.3, energy_sweep_s: 60 }}
luminaires:
  - {{ id: L-11, bus: bus1, address: 0, area: torget, rated_w: 40,
      location: {{ lat: 59.3001, lon: 18.0001, street: "Storgatan 2" }} }}
  - {{ id: L-12, bus: bus1, address: 1, area: torget, rated_w: 40,
      location: {{ lat: 59.3002, lon: 18.0003, street: "Storgatan 4" }} }}
areas:
  - {{ id: torget, name: Torget, profile: centrum, safety_profile: trygg }}
# One step at noon: the same target all 24 hours whenever the tests run.
profiles:
  centrum:
    - {{ at: "12:00", level: 100 }}
  trygg:
    - {{ at: "12:00", level: 100 }}
modbus:
  template_dirs: [{templates}]
  networks:
    - {{ id: lan, type: tcp, host: 127.0.0.1, port: {modbus_port}, response_timeout_s: 0.3 }}
  devices:
    - {{ id: io1, network: lan, unit: 2, template: relay-di-8, poll_s: 0.2, full_publish_s: 1, areas: [torget] }}
{meter_device}faults:
  fade_grace_s: 3
  debounce:
    lamp_failure: {{ raise_after: 2, clear_after: 2 }}
    door_open: {{ raise_after: 1, clear_after: 1 }}
    day_burner: {{ raise_after: 3, clear_after: 2 }}
    night_outage: {{ raise_after: 3, clear_after: 2 }}
    energy_anomaly: {{ raise_after: 2, clear_after: 2 }}
statistics:
  flush_s: 10
"""
        self.db = os.path.join(self.dir, "lykta.db")
        text = minimal_config(self.broker.port, self.db, gateway_id=gateway_id, extra=extra)
        text = text.replace('name: "Test cabinet"', f"name: {json.dumps(gateway_name)}")
        self.config = write_config(self.dir, text)
        self.socket = os.path.join(self.dir, "lyktad.sock")
        self.observer = Observer(self.broker.port, topics=(f"{self.prefix}/#",))
        self.lyktad = Lyktad(self.config)
        self.observer.wait_for(f"{self.prefix}/status", lambda p: p and p.get("state") == "online")

    def close(self):
        for part in (self.lyktad.stop, self.observer.close, self.dali_control.close, self.modbus_control.close,
                     self.dali.stop, self.modbus.stop, self.broker.stop):
            try:
                part()
            except Exception:  # tear down the rest whatever one part did
                pass
        subprocess.run(["rm", "-rf", self.dir], check=False)

    def event(self, type_, predicate=lambda e: True, since=0, timeout=15):
        return self.observer.wait_for(f"{self.prefix}/event",
                                      lambda e: isinstance(e, dict) and e.get("type") == type_ and predicate(e),
                                      timeout, since)

    def alarms(self, predicate, since=0, timeout=15):
        return self.observer.wait_for(f"{self.prefix}/alarms", lambda p: isinstance(p, dict) and predicate(p),
                                      timeout, since)

    def mark(self):
        return len(self.observer.snapshot())

    def ctl(self, *args):
        return subprocess.run([os.path.join(BIN, "lyktactl"), "--socket", self.socket, *args],
                              capture_output=True, text=True, timeout=30)

    def raise_lamp_failure(self, address, luminaire):
        since = self.mark()
        self.dali_control(f"lamp-failure {address} on")
        return self.event("fault.raised", lambda e: e["fault"]["target"] == f"luminaire/{luminaire}"
                          and e["fault"]["kind"] == "lamp_failure", since)["fault"]


def active(payload):
    return {f["id"]: f for f in payload["active"]}


class FaultsGateway(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.site = Site("faults-gw")

    @classmethod
    def tearDownClass(cls):
        cls.site.close()

    def test_alarms_published_at_start(self):
        alarms = self.site.alarms(lambda p: "active" in p and "ts" in p)
        self.assertEqual(alarms["total"], len(alarms["active"]))
        self.assertIs(alarms["truncated"], False)

    def test_lamp_failure_lifecycle(self):
        site = self.site
        fault = site.raise_lamp_failure(1, "L-12")
        self.assertEqual(fault["area"], "torget")
        self.assertEqual(fault["severity"], "major")
        self.assertFalse(fault["acknowledged"])
        self.assertEqual(fault["detail"], "gear reports lamp failure")
        alarm = site.alarms(lambda p: fault["id"] in active(p))
        self.assertEqual(active(alarm)[fault["id"]]["target"], "luminaire/L-12")
        self.assertEqual(active(alarm)[fault["id"]]["area"], "torget")

        # lyktactl through the control socket of the real daemon.
        out = site.ctl("faults")
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = [line.split() for line in out.stdout.splitlines()[1:]]
        row = next(r for r in rows if r[1] == fault["id"])
        self.assertEqual(row[:7], ["major", fault["id"], "L-12", "Storgatan", "4", "bus1/1", "lamp_failure"])

        # Acknowledged over MQTT: event, and lyktactl shows it.
        since = site.mark()
        answer = site.observer.request(site.prefix, "faults/ack",
                                       {"fault": fault["id"], "by": "Anna", "note": "ladder needed"})
        self.assertEqual(answer["status"], "ok", answer)
        self.assertFalse(answer["data"]["already_acknowledged"])
        event = site.event("fault.acknowledged", lambda e: e["fault"]["id"] == fault["id"], since)
        self.assertEqual(event["by"], "Anna")
        self.assertEqual(event["note"], "ladder needed")
        out = site.ctl("faults", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        record = next(f for f in json.loads(out.stdout) if f["id"] == fault["id"])
        self.assertTrue(record["acknowledged"])
        self.assertEqual(record["acknowledged_by"], "Anna")
        self.assertEqual(record["bus"], "bus1")
        self.assertEqual(record["address"], 1)
        again = site.observer.request(site.prefix, "faults/ack", {"fault": fault["id"]})
        self.assertTrue(again["data"]["already_acknowledged"], again)

        # Repaired: cleared, gone from P/alarms, still in the history.
        since = site.mark()
        site.dali_control("lamp-failure 1 off")
        cleared = site.event("fault.cleared", lambda e: e["fault"]["id"] == fault["id"], since)
        self.assertIn("cleared", cleared)
        site.alarms(lambda p: fault["id"] not in active(p), since)
        history = site.observer.request(site.prefix, "faults/list", {"active_only": False})
        record = next(f for f in history["data"]["faults"] if f["id"] == fault["id"])
        self.assertIsNotNone(record["cleared"])

    def test_door_open_in_the_cabinet(self):
        site = self.site
        since = site.mark()
        site.modbus_control("door open")
        try:
            fault = site.event("fault.raised", lambda e: e["fault"]["kind"] == "door_open", since)["fault"]
            self.assertEqual(fault["target"], "cabinet/io1")
            self.assertEqual(fault["area"], "torget")
            self.assertEqual(fault["severity"], "minor")
            site.alarms(lambda p: fault["id"] in active(p), since)
        finally:
            since = site.mark()
            site.modbus_control("door closed")
        site.event("fault.cleared", lambda e: e["fault"]["id"] == fault["id"], since)

    def test_telemetry_counters_every_flush(self):
        # statistics.flush_s is 10 s (the config minimum): the first counters come within one period.
        site = self.site
        energy = site.observer.wait_for(f"{site.prefix}/telemetry",
                                        lambda t: isinstance(t, dict) and t.get("kind") == "energy", 20)
        self.assertEqual(energy["area"], "torget")
        for field in ("seq", "day", "kwh", "burn_hours", "lit_hours", "faults_raised", "ts"):
            self.assertIn(field, energy)

    def test_command_errors(self):
        site = self.site
        answer = site.observer.request(site.prefix, "faults/ack", {"fault": "F-99999"})
        self.assertEqual(answer["error"]["code"], "unknown_fault", answer)
        answer = site.observer.request(site.prefix, "faults/ack", {})
        self.assertEqual(answer["error"]["field"], "fault", answer)
        answer = site.observer.request(site.prefix, "report/get", {"from": "2026-11-02", "to": "2026-11-01"})
        self.assertEqual(answer["error"]["code"], "out_of_range", answer)
        answer = site.observer.request(site.prefix, "faults/list", {"area": "nowhere"})
        self.assertEqual(answer["error"]["code"], "unknown_area", answer)
        self.assertTrue(site.lyktad.running())


if __name__ == "__main__":
    unittest.main()
