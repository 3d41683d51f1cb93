"""lyktactl fleet safety plan|apply focus-areas.yaml against real lyktad on one
mosquitto: a file applied (flags tagged with the file's name and version),
re-applied (no change, and it says so), replaced by next year's file (the
flags it no longer names ended, also on a gateway it no longer names; a
hand-set flag kept) with one gateway offline (not applied, non-zero exit) and
finished by a later run once that gateway is back; file problems as
FILE:LINE:COL, unknown gateways and areas found by asking the fleet."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import BIN, Lyktad, Mosquitto, Observer, Sim, write_config
from test_fleet import gateway_config

GATEWAYS = ["bastad-c01", "bastad-c02", "bastad-c03"]

FILE_2026 = """name: bastad-trygghet
version: "2026"
focus_areas:
  - name: Stationsområdet
    reason: Otrygghet kvällstid vid stationen
    source: Trygghetsmätning 2026
    from: 2026-10-01
    until: 2027-04-01
    gateways:
      - { gateway: bastad-c01, areas: [torget] }
      - { gateway: bastad-c02, areas: [torget, hamnen] }
  - name: Hamnen kväll
    reason: Polisens lägesbild
    source: Polisen
    from: 2026-10-01
    until: 2027-04-01
    recurrence: { weekdays: [fri, sat], from: "20:00", to: "02:00" }
    gateways:
      - { gateway: bastad-c03, areas: [hamnen] }
"""

FILE_2027 = """name: bastad-trygghet
version: "2027"
focus_areas:
  - name: Stationsområdet
    reason: Otrygghet kvällstid vid stationen, kvarstår
    source: Trygghetsmätning 2027
    from: 2027-10-01
    until: 2028-04-01
    gateways:
      - { gateway: bastad-c01, areas: [torget] }
  - name: Hamnen kväll
    reason: Polisens lägesbild
    source: Polisen
    from: 2027-10-01
    until: 2028-04-01
    recurrence: { weekdays: [fri, sat], from: "20:00", to: "02:00" }
    gateways:
      - { gateway: bastad-c03, areas: [hamnen] }
"""

BAD = """name: bastad-trygghet
version: "2026"
focus_areas:
  - name: Stationsområdet
    reason: x
    source: y
    from: 2026-13-01x
    until: 2027-02-29
    gateways:
      - { gateway: bastad-c01, areas: [torget] }
"""

UNKNOWN = """name: bastad-trygghet
version: "2026"
focus_areas:
  - name: Stationsområdet
    reason: x
    source: y
    gateways:
      - { gateway: bastad-c09, areas: [torget] }
      - { gateway: bastad-c01, areas: [nowhere] }
"""


class FocusAreasTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="lykta-focus-")
        self.addCleanup(self.dir.cleanup)
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.observer = Observer(self.broker.port, topics=("lykta/+/status", "lykta/+/response/#"))
        self.addCleanup(self.observer.close)
        self.configs, self.daemons = {}, {}
        for i, gw in enumerate(GATEWAYS, 1):
            sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "2")
            self.addCleanup(sim.stop)
            port = int(sim.read_line("listening ").rsplit(":", 1)[1])
            d = os.path.join(self.dir.name, gw)
            os.mkdir(d)
            self.configs[gw] = write_config(d, gateway_config(self.broker.port, d, i, port))
            self.start(gw)

    def start(self, gw):
        since = len(self.observer.snapshot())
        daemon = Lyktad(self.configs[gw])
        self.addCleanup(daemon.stop)
        self.daemons[gw] = daemon
        self.observer.wait_for(f"lykta/{gw}/status", lambda p: p and p.get("state") == "online", since=since,
                               timeout=30)

    def file(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def ctl(self, *args):
        return subprocess.run([os.path.join(BIN, "lyktactl"), "--broker", self.broker.uri, "--timeout", "3",
                               "fleet", "safety", *args], capture_output=True, text=True, timeout=60)

    def flags(self, gw):
        answer = self.observer.request(f"lykta/{gw}", "area/safety/list", {})
        self.assertEqual(answer["status"], "ok", answer)
        return {f["id"]: f for f in answer["data"]["flags"]}

    def test_yearly_cycle(self):
        # Set by hand over MQTT (the request id becomes the flag id).
        hand = self.observer.request("lykta/bastad-c01", "area/safety",
                                     {"area": "torget", "reason": "event", "source": "Polisen",
                                      "from": "2026-12-01", "until": "2027-01-01"})
        self.assertEqual(hand["status"], "ok", hand)
        hand_id = hand["data"]["flag"]["id"]
        first = self.file("focus-2026.yaml", FILE_2026)

        plan = self.ctl("plan", first)
        self.assertEqual(plan.returncode, 0, plan.stderr)
        self.assertEqual(plan.stdout.count("  add "), 4, plan.stdout)
        self.assertEqual(self.flags("bastad-c02"), {}, "plan changed something")

        applied = self.ctl("apply", first)
        self.assertEqual(applied.returncode, 0, applied.stderr + applied.stdout)
        c01 = self.flags("bastad-c01")
        self.assertEqual(c01[hand_id]["reason"], "event")
        ours = [f for f in c01.values() if f["id"].startswith("bastad-trygghet.2026.stationsomradet.torget.")]
        self.assertEqual(len(ours), 1, c01)
        self.assertEqual(ours[0]["source"], "Trygghetsmätning 2026 (bastad-trygghet 2026)")
        self.assertEqual(ours[0]["reason"], "Otrygghet kvällstid vid stationen")
        self.assertEqual(sorted(f["area"] for f in self.flags("bastad-c02").values()), ["hamnen", "torget"])
        c03 = list(self.flags("bastad-c03").values())
        self.assertEqual(c03[0]["recurrence"]["weekdays"], ["fri", "sat"])
        before = {gw: self.flags(gw) for gw in GATEWAYS}

        again = self.ctl("apply", first)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("nothing to change", again.stderr)
        self.assertEqual({gw: self.flags(gw) for gw in GATEWAYS}, before)

        # Next year, with bastad-c03 offline.
        self.daemons["bastad-c03"].kill()
        self.observer.wait_for("lykta/bastad-c03/status", lambda p: p and p.get("state") == "offline")
        second = self.file("focus-2027.yaml", FILE_2027)
        plan = self.ctl("plan", "--json", second)
        self.assertEqual(plan.returncode, 1, plan.stderr)
        by_gateway = {g["gateway"]: g for g in json.loads(plan.stdout)}
        self.assertEqual(len(by_gateway["bastad-c01"]["change"]), 1)
        self.assertEqual(len(by_gateway["bastad-c02"]["end"]), 2)  # no longer named at all
        self.assertIn("offline", by_gateway["bastad-c03"]["skipped"])

        partial = self.ctl("apply", second)
        self.assertEqual(partial.returncode, 1, partial.stdout)
        self.assertIn("bastad-c03: NOT APPLIED, offline (connection-lost)", partial.stdout)
        c01 = self.flags("bastad-c01")
        self.assertEqual(c01[hand_id]["reason"], "event")
        self.assertEqual(sorted(i.split(".")[1] for i in c01 if i.startswith("bastad-trygghet.")), ["2027"])
        self.assertEqual(self.flags("bastad-c02"), {})

        self.start("bastad-c03")
        finished = self.ctl("apply", second)
        self.assertEqual(finished.returncode, 0, finished.stdout + finished.stderr)
        self.assertIn("bastad-c03: applied (0 added, 1 changed, 0 ended)", finished.stdout)
        c03 = self.flags("bastad-c03")
        self.assertEqual([i.split(".")[1] for i in c03], ["2027"])
        done = self.ctl("apply", second)
        self.assertEqual(done.returncode, 0)
        self.assertIn("nothing to change", done.stderr)

    def test_file_problems_are_located(self):
        bad = self.ctl("plan", self.file("bad.yaml", BAD))
        self.assertEqual(bad.returncode, 2)
        self.assertIn("bad.yaml:7:11: 'from' must be a date YYYY-MM-DD or an RFC 3339 time", bad.stderr)
        self.assertIn("bad.yaml:8:12: 'until' must be a date YYYY-MM-DD or an RFC 3339 time, not '2027-02-29'",
                      bad.stderr)
        unknown = self.ctl("apply", self.file("unknown.yaml", UNKNOWN))
        self.assertEqual(unknown.returncode, 2, unknown.stderr)
        self.assertIn("unknown.yaml:8:20: unknown gateway 'bastad-c09'", unknown.stderr)
        self.assertIn("unknown.yaml:9:40: gateway bastad-c01 has no area 'nowhere' (its areas: hamnen, torget)",
                      unknown.stderr)
        self.assertEqual(self.flags("bastad-c01"), {})

    def test_a_refused_set_rolls_the_gateway_back(self):
        # The first year applied everywhere.
        first = self.ctl("apply", self.file("focus-2026.yaml", FILE_2026))
        self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        before = self.flags("bastad-c02")
        self.assertEqual(sorted(f["area"] for f in before.values()), ["hamnen", "torget"])
        # bastad-c02's hamnen loses its safety_profile: a flag without a profile is
        # refused there (bad_request), while torget still takes one.
        self.daemons["bastad-c02"].stop()
        with open(self.configs["bastad-c02"]) as f:
            text = f.read()
        plain = text.replace("{ id: hamnen, profile: centrum, safety_profile: trygg }",
                             "{ id: hamnen, profile: centrum }")
        self.assertNotEqual(plain, text)
        with open(self.configs["bastad-c02"], "w") as f:
            f.write(plain)
        self.start("bastad-c02")
        self.assertEqual(self.flags("bastad-c02"), before)  # stored flags survive the restart

        next_year = FILE_2027.replace("      - { gateway: bastad-c01, areas: [torget] }",
                                      "      - { gateway: bastad-c01, areas: [torget] }\n"
                                      "      - { gateway: bastad-c02, areas: [torget, hamnen] }")
        applied = self.ctl("apply", "--json", self.file("focus-2027.yaml", next_year))
        self.assertEqual(applied.returncode, 1, applied.stdout + applied.stderr)
        by_gateway = {g["gateway"]: g for g in json.loads(applied.stdout)}
        c02 = by_gateway["bastad-c02"]
        self.assertIn("area/safety hamnen: bad_request", c02["failed"])
        self.assertEqual(c02["rolled_back"], "rolled back")
        self.assertEqual([d for d in c02["done"] if d.endswith("(rollback)")],
                         [d.replace("set ", "cleared ", 1) + " (rollback)" for d in c02["done"]
                          if d.startswith("set ")])
        self.assertEqual(len([d for d in c02["done"] if d.startswith("set ")]), 1)  # torget's
        # Exactly the flags it had: the accepted 2027 torget flag cleared again,
        # the 2026 flags (whose ends were never sent) still there.
        self.assertEqual(self.flags("bastad-c02"), before)
        # The other gateways are applied as usual.
        self.assertIsNone(by_gateway["bastad-c01"]["failed"])
        self.assertEqual(sorted(i.split(".")[1] for i in self.flags("bastad-c01")), ["2027"])

        text_run = self.ctl("apply", self.file("focus-2027.yaml", next_year))
        self.assertEqual(text_run.returncode, 1)
        self.assertIn("bastad-c02: NOT APPLIED, area/safety hamnen: bad_request", text_run.stdout)
        self.assertIn("rolled back", text_run.stdout)
        self.assertEqual(self.flags("bastad-c02"), before)


if __name__ == "__main__":
    unittest.main()
