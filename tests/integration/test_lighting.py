"""The lighting policy in the running daemon: lyktad against `lykta-sim dali`
over TCP and a real mosquitto. Commands over MQTT reach the simulator's gear;
a safety flag raises the area; explain, schedule revisions and error codes."""
import json
import os
import subprocess
import tempfile
import unittest

import test_dali_gateway as dali_test
from harness import BIN, Lyktad, Mosquitto, Observer, Sim, minimal_config, write_config, wait_until

PREFIX = "lykta/test-gw"
level_of = dali_test.level_of

# Clock steps at noon only, so the level is the same all 24 hours whenever the
# test runs: the normal profile dim (20 %), the safety profile's floor high (80 %).
LIGHTING = """
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{port}", sweep_s: 0.3 }}
luminaires:
  - {{ id: "L-{{n}}", bus: bus1, addresses: 0..2, first: 1, area: torget }}
  - {{ id: P-1, bus: bus1, address: 3, area: park }}
areas:
  - {{ id: torget, profile: dim, safety_profile: trygg }}
  - {{ id: park, profile: dim }}
profiles:
  dim:
    - {{ at: "12:00", level: 20 }}
  trygg:
    floor: 80
    steps:
      - {{ at: "12:00", level: 80 }}
"""


class LightingTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="lykta-lighting-")
        self.addCleanup(self.dir.cleanup)
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "4", "--control", "127.0.0.1:0")
        self.addCleanup(self.sim.stop)
        port = int(self.sim.read_line("listening ").rsplit(":", 1)[1])
        self.control = dali_test.SimControl(self.sim)
        self.addCleanup(self.control.close)
        self.observer = Observer(self.broker.port)
        self.addCleanup(self.observer.close)
        config = minimal_config(self.broker.port, os.path.join(self.dir.name, "lykta.db"),
                                extra=LIGHTING.format(port=port))
        self.config_path = write_config(self.dir.name, config)
        self.lyktad = Lyktad(self.config_path)
        self.addCleanup(self.lyktad.stop)
        self.observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online")

    def ask(self, command, **args):
        return self.observer.request(PREFIX, command, args)

    def level(self, address):
        return self.control.value(f"level? {address}")

    def wait_level(self, address, percent, what):
        wait_until(lambda: self.level(address) == level_of(percent), 10, what=what)

    def error(self, command, **args):
        r = self.ask(command, **args)
        self.assertEqual(r["status"], "error", r)
        return r["error"]

    def event(self, type_, since=0):
        return self.observer.wait_for(f"{PREFIX}/event", lambda p: p and p.get("type") == type_, 10, since)

    def test_commands_drive_the_simulated_gear(self):
        for a in range(4):
            self.wait_level(a, 20, f"schedule level on gear {a}")
        s = self.observer.wait_for(f"{PREFIX}/luminaire/L-1/state",
                                   lambda p: p and p.get("target") == 20.0 and abs((p.get("level") or 0) - 20) < 1)
        self.assertEqual(s["reason"]["source"], "default")
        area = self.observer.wait_for(f"{PREFIX}/area/torget/state", lambda p: p and p.get("mode") == "schedule")
        self.assertEqual(area["profile"], "dim")
        self.assertEqual(area["luminaires"], 3)

        # area/set answers after the frames went out, with the levels read back from the gear.
        r = self.ask("area/set", area="torget", level=50, duration_s=600)
        self.assertEqual(r["status"], "ok", r)
        levels = r["data"]["levels"]
        self.assertEqual(sorted(levels), ["L-1", "L-2", "L-3"])
        for level in levels.values():  # read back on the logarithmic curve: within one arc step
            self.assertAlmostEqual(level, 50.0, delta=1.0)
        for a in range(3):
            self.assertEqual(self.level(a), level_of(50))
        self.assertEqual(self.level(3), level_of(20))
        self.event("override.set")
        self.observer.wait_for(f"{PREFIX}/area/torget/state", lambda p: p and p.get("mode") == "override")

        # override/clear: back to the schedule.
        r = self.ask("override/clear", area="torget")
        self.assertEqual(r["status"], "ok", r)
        self.assertAlmostEqual(r["data"]["levels"]["L-2"], 20.0, delta=1.0)
        self.assertEqual(self.level(1), level_of(20))

        # A safety flag over MQTT raises the area's luminaires (the floor of its safety profile).
        since = len(self.observer.snapshot())
        r = self.ask("area/safety", area="torget", until="2099-01-01", reason="test", source="police")
        self.assertEqual(r["status"], "ok", r)
        flag = r["data"]["flag"]["id"]
        for a in range(3):
            self.wait_level(a, 80, f"safety floor on gear {a}")
        self.assertEqual(self.level(3), level_of(20))
        started = self.event("safety.started", since)
        self.assertEqual(started["area"], "torget")
        self.observer.wait_for(f"{PREFIX}/area/torget/state",
                               lambda p: p and p.get("mode") == "safety" and p["safety"]["id"] == flag)

        # explain shows the stack with the safety layer deciding.
        r = self.ask("explain", luminaire="L-1")
        self.assertEqual(r["status"], "ok", r)
        self.assertEqual(r["data"]["level"], 80.0)
        self.assertEqual(r["data"]["reason"]["source"], "safety")
        sources = [layer["source"] for layer in r["data"]["stack"]]
        self.assertIn("safety", sources)
        self.assertIn("default", sources)
        r = self.ask("explain", area="park")
        self.assertEqual(r["data"]["level"], 20.0)
        # The same through lyktactl and the control socket.
        out = subprocess.run([os.path.join(BIN, "lyktactl"), "--config", self.config_path, "explain",
                              "--luminaire", "L-1"], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("80.0 %  safety", out.stdout)
        out = subprocess.run([os.path.join(BIN, "lyktactl"), "--config", self.config_path, "explain",
                              "--area", "torget", "--json"], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(len(json.loads(out.stdout)["luminaires"]), 3)

        since = len(self.observer.snapshot())
        r = self.ask("area/safety/clear", area="torget")
        self.assertEqual(r["data"]["removed"], [flag])
        ended = self.event("safety.ended", since)
        self.assertTrue(ended["removed"])
        self.wait_level(0, 20, "schedule level after the flag")

    def test_schedule_revisions_and_errors(self):
        r = self.ask("schedule/get")
        self.assertEqual(r["status"], "ok", r)
        self.assertEqual(r["data"]["revision"], 0)
        profiles = r["data"]["profiles"]
        profiles["dim"]["steps"][0]["level"] = 30
        r = self.ask("schedule/set", revision=0, profiles=profiles)
        self.assertEqual(r["status"], "ok", r)
        self.assertEqual(r["data"]["revision"], 1)
        self.event("schedule.changed")
        self.wait_level(3, 30, "new schedule on the park's gear")
        self.assertEqual(self.ask("republish")["status"], "ok")
        self.observer.wait_for(f"{PREFIX}/info", lambda p: p and p.get("schedule_revision") == 1, 10)

        # Stale revision: conflict, nothing changed.
        profiles["dim"]["steps"][0]["level"] = 90
        e = self.error("schedule/set", revision=0, profiles=profiles)
        self.assertEqual(e["code"], "conflict")
        self.assertEqual(self.ask("schedule/get")["data"]["revision"], 1)
        self.assertEqual(self.level(3), level_of(30))

        profiles["dim"]["steps"][0]["level"] = 190
        e = self.error("schedule/set", revision=1, profiles=profiles)
        self.assertEqual(e["code"], "out_of_range")
        self.assertEqual(e["field"], "profiles.dim.steps.0.level")

        self.assertEqual(self.error("area/set", area="nowhere", level=5)["code"], "unknown_area")
        self.assertEqual(self.error("luminaire/set", luminaire="X-9", level=5)["code"], "unknown_luminaire")
        e = self.error("luminaire/set", luminaire="L-1", level=101)
        self.assertEqual((e["code"], e["field"]), ("out_of_range", "level"))
        e = self.error("area/set", area="torget", level="high")
        self.assertEqual((e["code"], e["field"]), ("bad_request", "level"))
        e = self.error("override/clear")
        self.assertEqual(e["code"], "bad_request")
        e = self.error("area/safety", area="torget", until="2001-01-01")
        self.assertEqual(e["code"], "out_of_range")
        self.assertEqual(self.error("explain", area="nowhere")["code"], "unknown_area")
        self.assertEqual(self.error("luminaire/identify", luminaire="L-1", seconds=9999)["code"], "out_of_range")

        # identify: the luminaire blinks (alternates levels) while the others keep theirs.
        r = self.ask("luminaire/identify", luminaire="L-1", seconds=5)
        self.assertEqual(r["status"], "ok", r)
        seen = set()
        wait_until(lambda: seen.add(self.level(0)) or {level_of(100), level_of(10)} <= seen, 10,
                   what="identify blinking")
        self.assertEqual(self.level(1), level_of(30))


if __name__ == "__main__":
    unittest.main()
