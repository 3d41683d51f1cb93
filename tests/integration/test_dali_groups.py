"""lyktad against `lykta-sim dali` whose gear were left in the wrong DALI groups by
another controller: the group membership check repairs them (or, when groups
belong to another system, only reports them) and an area command reaches every
lamp of the area and no other, over a real mosquitto."""
import json
import os
import tempfile
import unittest

from harness import Lyktad, Mosquitto, Observer, Sim, SimControl, minimal_config, wait_until, write_config
from test_dali_gateway import level_of

PREFIX = "lykta/test-gw"

# torget = L-1..L-3 at 0..2 in group 1; villa = V-1 at 3 in group 2. The sim starts gear 0 right,
# gear 1 in no group (would miss torget's group frame), gear 2 in villa's group and gear 3 in
# torget's (would follow torget's group frame).
SIM_GROUPS = ("--groups", "0:1", "--groups", "2:2", "--groups", "3:1")
WRONG = {"L-2": ([1], []), "L-3": ([1], [2]), "V-1": ([2], [1])}


def config(broker_port, store, port, policy):
    return minimal_config(broker_port, store, extra=f"""
dali:
  group_membership: {policy}
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{port}", sweep_s: 0.5, energy_sweep_s: 3600 }}
luminaires:
  - {{ id: "L-{{n}}", bus: bus1, addresses: 0..2, first: 1, area: torget }}
  - {{ id: V-1, bus: bus1, address: 3, area: villa }}
areas:
  - {{ id: torget, profile: low, dali_groups: {{ bus1: 1 }} }}
  - {{ id: villa, profile: low, dali_groups: {{ bus1: 2 }} }}
profiles:
  low:
    - {{ at: "00:00", level: 10 }}
""")


class DaliGroupMembershipTest(unittest.TestCase):
    def start(self, policy):
        self.dir = tempfile.TemporaryDirectory(prefix="lykta-groups-")
        self.addCleanup(self.dir.cleanup)
        self.frames = os.path.join(self.dir.name, "frames.log")
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "4", "--control", "127.0.0.1:0",
                       "--frame-log", self.frames, *SIM_GROUPS)
        self.addCleanup(self.sim.stop)
        port = int(self.sim.read_line("listening ").rsplit(":", 1)[1])
        self.control = SimControl(self.sim)
        self.addCleanup(self.control.close)
        self.observer = Observer(self.broker.port)
        self.addCleanup(self.observer.close)
        self.assertEqual(self.control.value("groups? 3"), 1 << 1)  # the sim option took
        path = write_config(self.dir.name, config(self.broker.port, os.path.join(self.dir.name, "lykta.db"),
                                                  port, policy))
        self.lyktad = Lyktad(path)
        self.addCleanup(self.lyktad.stop)
        self.observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online")

    def mismatch_events(self, action):
        """Waits for one dali.group_mismatch event per wrongly grouped gear; returns them by luminaire."""
        def found():
            return {e["luminaire"]: e for e in self.events("dali.group_mismatch")}
        wait_until(lambda: set(found()) >= set(WRONG), 15, what="group mismatch events")
        events = found()
        for luminaire, (want, have) in WRONG.items():
            e = events[luminaire]
            self.assertEqual((e["want"], e["have"], e["action"], e["bus"]), (want, have, action, "bus1"), e)
        self.assertNotIn("L-1", events)
        return events

    def events(self, type_):
        out = []
        for m in self.observer.snapshot():
            if m.topic != f"{PREFIX}/event":
                continue
            try:
                payload = json.loads(m.payload)
            except ValueError:
                continue
            if isinstance(payload, dict) and payload.get("type") == type_:
                out.append(payload)
        return out

    def area_set_reaches_exactly_the_area(self, percent):
        r = self.observer.request(PREFIX, "area/set", {"area": "torget", "level": percent, "duration_s": 600})
        self.assertEqual(r["status"], "ok", r)
        for a in range(3):
            self.assertEqual(self.control.value(f"level? {a}"), level_of(percent), f"gear {a}")
        self.assertEqual(self.control.value("level? 3"), level_of(10), "villa's gear followed torget")

    def dapc_lines_since(self, offset, percent):
        """The frames that carried `percent` as a direct arc power level after `offset` in the log."""
        with open(self.frames) as f:
            f.seek(offset)
            return [line for line in f if "DAPC(" in line and f", {level_of(percent)})" in line]

    def test_repair_fixes_membership_then_one_group_frame_serves_the_area(self):
        self.start("repair")
        self.mismatch_events("repaired")
        self.assertEqual([self.control.value(f"groups? {a}") for a in range(4)], [2, 2, 2, 4])
        wait_until(lambda: self.control.value("level? 3") == level_of(10), 10, what="villa at its level")
        offset = os.path.getsize(self.frames)
        self.area_set_reaches_exactly_the_area(50)
        dapc = self.dapc_lines_since(offset, 50)
        self.assertEqual(len(dapc), 1, dapc)  # verified: the area is one group frame
        self.assertIn("DAPC(group 1", dapc[0])
        # One event per finding: later checks (the daemon re-checks at every bus ready) stay quiet.
        self.assertEqual(len(self.events("dali.group_mismatch")), len(WRONG))

    def test_report_only_leaves_groups_alone_and_addresses_the_area_lamp_by_lamp(self):
        self.start("report")
        self.mismatch_events("reported")
        self.assertEqual([self.control.value(f"groups? {a}") for a in range(4)], [2, 0, 4, 2])
        wait_until(lambda: self.control.value("level? 3") == level_of(10), 10, what="villa at its level")
        offset = os.path.getsize(self.frames)
        self.area_set_reaches_exactly_the_area(60)
        dapc = self.dapc_lines_since(offset, 60)
        self.assertFalse(any("group" in line for line in dapc), dapc)
        self.assertEqual(len(dapc), 3, dapc)
        self.assertTrue(self.lyktad.running())


if __name__ == "__main__":
    unittest.main()
