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


# The shape at a test's size: an area of 15 luminaires in group 1 and one in group 2 on a
# simulator with DALI wire timing, energy reads due at once, identity read at the first sweeps. Before groups came first, the D4i
# energy and identity reads queued with the group check at the same priority and an area command
# minutes into the night still went out luminaire by luminaire.
BUSY_GEAR = 16


def busy_config(broker_port, store, port):
    return minimal_config(broker_port, store, extra=f"""
dali:
  group_membership: repair
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{port}", sweep_s: 2, energy_sweep_s: 1 }}
luminaires:
  - {{ id: "T-{{n}}", bus: bus1, addresses: 0..{BUSY_GEAR - 2}, first: 1, area: torget }}
  - {{ id: V-1, bus: bus1, address: {BUSY_GEAR - 1}, area: villa }}
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



class DaliGroupsBeforeBulkReadsTest(unittest.TestCase):
    def test_an_area_command_once_bulk_reads_run_is_one_group_frame(self):
        tmp = tempfile.TemporaryDirectory(prefix="lykta-groups-first-")
        self.addCleanup(tmp.cleanup)
        frames = os.path.join(tmp.name, "frames.log")
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", str(BUSY_GEAR), "--realtime", "--control",
                  "127.0.0.1:0", "--frame-log", frames, "--groups", f"0..{BUSY_GEAR - 2}:1",
                  "--groups", f"{BUSY_GEAR - 1}:2")
        self.addCleanup(sim.stop)
        port = int(sim.read_line("listening ").rsplit(":", 1)[1])
        control = SimControl(sim)
        self.addCleanup(control.close)
        observer = Observer(broker.port)
        self.addCleanup(observer.close)
        path = write_config(tmp.name, busy_config(broker.port, os.path.join(tmp.name, "lykta.db"), port))
        lyktad = Lyktad(path)
        self.addCleanup(lyktad.stop)
        observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online")

        def log_lines():
            with open(frames) as f:
                return f.readlines()
        # The moment the first bulk read (identity or energy: memory bank reads) reaches the bus.
        wait_until(lambda: os.path.exists(frames) and any("READ MEMORY LOCATION" in line for line in log_lines()),
                   60, what="the first memory bank read on the bus")
        lines = log_lines()
        first_bulk = next(i for i, line in enumerate(lines) if "READ MEMORY LOCATION" in line)
        # Every gear's groups were read before it (one QUERY GROUPS 0-7 each: the bus uses group 1 only).
        group_reads = [i for i, line in enumerate(lines) if "QUERY GROUPS" in line]
        self.assertEqual(len([i for i in group_reads if i < first_bulk]), BUSY_GEAR, "".join(lines[:first_bulk + 1]))
        self.assertEqual(len(group_reads), BUSY_GEAR)
        offset = os.path.getsize(frames)
        r = observer.request(PREFIX, "area/set", {"area": "torget", "level": 70, "duration_s": 600})
        self.assertEqual(r["status"], "ok", r)
        for a in (0, BUSY_GEAR - 2):
            self.assertEqual(control.value(f"level? {a}"), level_of(70), f"gear {a}")
        self.assertEqual(control.value(f"level? {BUSY_GEAR - 1}"), level_of(10), "villa's gear followed torget")
        with open(frames) as f:
            f.seek(offset)
            dapc = [line for line in f if "DAPC(" in line and f", {level_of(70)})" in line]
        self.assertEqual(len(dapc), 1, dapc)
        self.assertIn("DAPC(group 1", dapc[0])
        self.assertTrue(lyktad.running())


if __name__ == "__main__":
    unittest.main()
