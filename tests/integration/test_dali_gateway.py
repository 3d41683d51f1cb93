"""lyktad against `lykta-sim dali` over the Foxtron protocol, on TCP and on a pty,
with a real mosquitto: luminaire state from the sim's levels, injected faults,
fail-safe levels programmed into the gear, commissioning over MQTT."""
import math
import os
import tempfile
import unittest

from harness import Lyktad, Mosquitto, Observer, Sim, SimControl, minimal_config, write_config, wait_until

PREFIX = "lykta/test-gw"


def level_of(percent):
    """IEC 62386-102 logarithmic curve, percent -> arc power level."""
    if percent <= 0:
        return 0
    return max(1, min(254, round(1 + (253 / 3) * (math.log10(percent) + 1))))


def dali_config(broker_port, store, bus1, bus2, bus1_luminaires="", bus2_luminaires="", group_membership="repair"):
    return minimal_config(broker_port, store, extra=f"""
dali:
  group_membership: {group_membership}
  buses:
    - {{ id: bus1, interface: "{bus1}", sweep_s: 0.3, energy_sweep_s: 1 }}
    - {{ id: bus2, interface: "{bus2}", sweep_s: 0.3 }}
luminaires:
{bus1_luminaires or '  - { id: "L-{n}", bus: bus1, addresses: 0..3, first: 1, area: torget }'}
{bus2_luminaires or '  - { id: "V-{n}", bus: bus2, addresses: 0..1, first: 1, area: villa }'}
areas:
  - {{ id: torget, profile: centrum, dali_groups: {{ bus1: 1 }}, power_on_level: 60, system_failure_level: 80 }}
  - {{ id: villa, profile: villa, dali_groups: {{ bus2: 2 }} }}
profiles:
  centrum:
    - {{ at: "sunset", level: 100 }}
    - {{ at: "sunrise", level: 0 }}
  villa:
    - {{ at: "sunset", level: 50 }}
    - {{ at: "sunrise", level: 0 }}
""")


class DaliGatewayTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="lykta-dali-")
        self.addCleanup(self.dir.cleanup)
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.tcp_sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "4", "--control", "127.0.0.1:0")
        self.addCleanup(self.tcp_sim.stop)
        self.tcp_port = int(self.tcp_sim.read_line("listening ").rsplit(":", 1)[1])
        self.tcp_control = SimControl(self.tcp_sim)
        self.addCleanup(self.tcp_control.close)
        self.pty_sim = Sim("dali", "--pty", "--gear", "2", "--control", "127.0.0.1:0",
                           "--frame-log", os.path.join(self.dir.name, "frames.log"))
        self.addCleanup(self.pty_sim.stop)
        self.pty_path = self.pty_sim.read_line("pty ").split()[1]
        self.pty_control = SimControl(self.pty_sim)
        self.addCleanup(self.pty_control.close)
        self.observer = Observer(self.broker.port)
        self.addCleanup(self.observer.close)

    def start_lyktad(self, **kw):
        path = write_config(self.dir.name, dali_config(
            self.broker.port, os.path.join(self.dir.name, "lykta.db"),
            f"foxtron://127.0.0.1:{self.tcp_port}", f"foxtron://{self.pty_path}", **kw))
        self.lyktad = Lyktad(path)
        self.addCleanup(self.lyktad.stop)
        # States published before the MQTT link is up are not replayed (yet): act only once online.
        self.observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online")

    def state(self, luminaire, predicate, timeout=10):
        return self.observer.wait_for(f"{PREFIX}/luminaire/{luminaire}/state", predicate, timeout)

    def test_state_faults_and_fail_safe_over_tcp_and_pty(self):
        self.start_lyktad()
        # The lighting policy sends its targets once each bus answers; poke the gear only after that
        # (it sends again only on a change, or when a bus comes back).
        for lum in ("L-1", "L-2", "L-3", "L-4", "V-1", "V-2"):
            self.state(lum, lambda p: p and p["target"] is not None and p["level"] is not None
                       and abs(p["level"] - p["target"]) < 1.5)
        self.tcp_control("set-level 2 254")
        self.pty_control(f"set-level 1 {level_of(25)}")
        self.tcp_control("set-level 0 1")
        s = self.state("L-3", lambda p: p and p["level"] == 100.0)
        self.assertTrue(s["available"])
        self.assertFalse(s["lamp_failure"])
        self.assertEqual(s["area"], "torget")
        self.assertIsInstance(s["target"], float)  # the lighting policy drives the luminaires (docs/policy.md)
        self.assertIn("ts", s)
        self.state("V-2", lambda p: p and p["available"] and abs(p["level"] - 25.0) < 1.0)  # over the pty
        self.state("L-1", lambda p: p and p["available"] and p["level"] == 0.1)
        # D4i data from the gear's memory banks extends the state (L-3 burns at 100 %).
        s = self.state("L-3", lambda p: p and "energy_wh" in p and p.get("power_w") == 40)
        self.assertGreaterEqual(s["operating_h"], 0)
        self.assertEqual(s["starts"], 1)

        # Fail-safe levels: the area's own (60 %/80 %) on bus1, the profile's evening level (50 %) on bus2.
        wait_until(lambda: self.tcp_control.value("power-on? 0") == level_of(60), 10, what="power-on level on bus1")
        for a in range(4):
            self.assertEqual(self.tcp_control.value(f"power-on? {a}"), level_of(60))
            self.assertEqual(self.tcp_control.value(f"system-failure? {a}"), level_of(80))
        wait_until(lambda: self.pty_control.value("system-failure? 1") == level_of(50), 10,
                   what="system-failure level on bus2")
        self.assertEqual(self.pty_control.value("power-on? 0"), level_of(50))

        self.tcp_control("lamp-failure 1 on")
        self.state("L-2", lambda p: p and p["lamp_failure"] and p["available"])
        self.tcp_control("gear-failure 3 on")
        self.state("L-4", lambda p: p and p["gear_failure"])
        self.tcp_control("missing 0")
        self.state("L-1", lambda p: p and not p["available"] and p["level"] is None)
        self.tcp_control("lamp-failure 1 off")
        self.state("L-2", lambda p: p and not p["lamp_failure"])

        # Bus power loss: the gear go to their system-failure level; when the bus answers again
        # the policy sends its targets again.
        self.tcp_control("bus-power off")
        self.assertEqual(self.tcp_control.value("level? 2"), level_of(80))
        self.state("L-3", lambda p: p and not p["available"])
        self.tcp_control("bus-power on")
        self.state("L-3", lambda p: p and p["available"] and abs(p["level"] - p["target"]) < 1.5)

        # Garbage and a dropped connection do not stop the daemon.
        self.tcp_control("garbage")
        self.tcp_control("disconnect")
        self.tcp_control("set-level 2 200")
        # The sweeps read the gear again (the policy may have re-sent its target after the reconnect).
        self.state("L-3", lambda p: p and p["available"] and (abs(p["level"] - 22.9) < 0.2
                                                             or abs(p["level"] - p["target"]) < 1.5))
        self.assertTrue(self.lyktad.running())
        with open(os.path.join(self.dir.name, "frames.log")) as f:
            self.assertIn("QUERY ACTUAL LEVEL(short 1)", f.read())

    def test_commission_command_programs_groups_and_reports(self):
        # Nobody checks membership at bus ready here, so the groups are still commissioning's to program.
        self.start_lyktad(group_membership="trust")
        r = self.observer.request(PREFIX, "dali/commission", {"bus": "bus1"}, timeout=30)
        self.assertEqual(r["status"], "ok", r)
        d = r["data"]
        self.assertTrue(d["ok"], d)
        self.assertEqual(d["present"], [0, 1, 2, 3])
        self.assertEqual(d["found"], [])
        self.assertEqual(d["absent"], [])
        self.assertEqual(sorted(d["groups_programmed"]), [0, 1, 2, 3])
        self.assertEqual(self.tcp_control.value("groups? 2"), 1 << 1)
        again = self.observer.request(PREFIX, "dali/commission", {"bus": "bus1"}, timeout=30)["data"]
        self.assertEqual(again["groups_programmed"], [])
        bad = self.observer.request(PREFIX, "dali/commission", {"bus": "nope"})
        self.assertEqual(bad["status"], "error")
        self.assertEqual(bad["error"]["field"], "bus")
        missing = self.observer.request(PREFIX, "dali/commission", {})
        self.assertEqual(missing["error"]["code"], "bad_request")


class DaliCommissioningTest(unittest.TestCase):
    def test_commission_64_gear_with_random_addresses_over_tcp(self):
        with tempfile.TemporaryDirectory(prefix="lykta-dali-") as d, Mosquitto() as broker, \
                Sim("dali", "--listen", "127.0.0.1:0", "--gear", "64", "--unaddressed", "--seed", "7",
                    "--control", "127.0.0.1:0") as sim, \
                Sim("dali", "--listen", "127.0.0.1:0", "--gear", "1") as other, \
                Observer(broker.port) as observer:
            port = int(sim.read_line("listening ").rsplit(":", 1)[1])
            control = SimControl(sim)
            other_port = int(other.read_line("listening ").rsplit(":", 1)[1])
            luminaires = '  - { id: "L-{n:02}", bus: bus1, addresses: 0..63, first: 0, area: torget }'
            path = write_config(d, dali_config(
                broker.port, os.path.join(d, "lykta.db"), f"foxtron://127.0.0.1:{port}",
                f"foxtron://127.0.0.1:{other_port}", bus1_luminaires=luminaires,
                bus2_luminaires='  - { id: V-1, bus: bus2, address: 0, area: villa }'))
            with Lyktad(path):
                observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online")
                r = observer.request(PREFIX, "dali/commission", {"bus": "bus1"}, timeout=120)
                self.assertEqual(r["status"], "ok", r)
                data = r["data"]
                self.assertTrue(data["ok"], data["problems"])
                self.assertEqual(len(data["found"]), 64)
                self.assertEqual(sorted(f["address"] for f in data["found"]), list(range(64)))
                self.assertTrue(all(f["device_type"] == 6 for f in data["found"]))
                self.assertEqual(data["absent"], [])
                addresses = control("addresses?").split()[1:]
                self.assertEqual(sorted(int(a) for a in addresses), list(range(64)))
                self.assertEqual(control.value("groups? 17"), 1 << 1)
                # After commissioning the fail-safe levels are programmed too.
                self.assertEqual(control.value("power-on? 40"), level_of(60))
                observer.wait_for(f"{PREFIX}/luminaire/L-63/state", lambda p: p and p["available"], timeout=20)
            control.close()


if __name__ == "__main__":
    unittest.main()
