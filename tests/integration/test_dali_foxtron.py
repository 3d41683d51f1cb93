"""lyktad against `lykta-sim dali` speaking Foxtron's "DALI232 communication protocol"
(v1.7/v1.10) on TCP (a DALInet) and on a pty (a DALI232), with a real mosquitto.
The simulator's converter side is its own code written from that document
(tools/lykta-sim/dali/foxtron_converter.*), not the client's codec: this checks the wire end
to end. Answers come in the §4.4 layout (message, then answer length, then answer).
A send-twice frame goes on the bus twice (§4.2); the document does not say whether the
converter reports it once or once per copy, so every site runs both ways
(`--send-twice-reports twice|once`) and lyktad must be content with either.
Levels are read back, a lamp failure becomes a fault, fail-safe levels and DALI
groups are verified by query, and neither side saw anything it could not read."""
import os
import re
import tempfile
import unittest

from harness import Lyktad, Mosquitto, Observer, Sim, SimControl, minimal_config, wait_until, write_config
from test_dali_gateway import level_of

PREFIX = "lykta/test-gw"


def config(broker_port, store, interface):
    return minimal_config(broker_port, store, extra=f"""
dali:
  group_membership: repair
  buses:
    - {{ id: bus1, interface: "{interface}", sweep_s: 0.3, energy_sweep_s: 3600 }}
luminaires:
  - {{ id: "L-{{n}}", bus: bus1, addresses: 0..2, first: 1, area: torget }}
areas:
  - {{ id: torget, profile: low, dali_groups: {{ bus1: 1 }}, power_on_level: 60, system_failure_level: 80 }}
profiles:
  low:
    - {{ at: "00:00", level: 10 }}
faults:
  debounce:
    lamp_failure: {{ raise_after: 2, clear_after: 2 }}
""")


class FoxtronEndToEnd(unittest.TestCase):
    def run_site(self, *sim_args):
        d = tempfile.TemporaryDirectory(prefix="lykta-foxtron-")
        self.addCleanup(d.cleanup)
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        # Gear 2 starts in no group: the membership check must read (and repair) it.
        sim = Sim("dali", *sim_args, "--gear", "3", "--control", "127.0.0.1:0", "--groups", "0..1:1",
                  "--groups", "2:none")
        self.addCleanup(sim.stop)
        first = sim.read_line("listening " if "--listen" in sim_args else "pty ")
        interface = (f"foxtron://127.0.0.1:{first.rsplit(':', 1)[1]}" if "--listen" in sim_args
                     else f"foxtron://{first.split()[1]}")
        control = SimControl(sim)
        self.addCleanup(control.close)
        observer = Observer(broker.port, topics=(f"{PREFIX}/#",))
        self.addCleanup(observer.close)
        lyktad = Lyktad(write_config(d.name, config(broker.port, os.path.join(d.name, "lykta.db"), interface)))
        self.addCleanup(lyktad.stop)
        observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online")

        def state(luminaire, predicate):
            return observer.wait_for(f"{PREFIX}/luminaire/{luminaire}/state", predicate, 15)

        def event(type_, predicate):
            return observer.wait_for(f"{PREFIX}/event", lambda e: isinstance(e, dict) and e.get("type") == type_
                                     and predicate(e), 15)

        # Levels read back (QUERY ACTUAL LEVEL answers, §4.4): first the policy's 10 %, then a
        # level set behind the gateway's back.
        for lum in ("L-1", "L-2", "L-3"):
            state(lum, lambda p: p and p["available"] and p["level"] is not None and abs(p["level"] - 10) < 1)
        control(f"set-level 1 {level_of(25)}")
        state("L-2", lambda p: p and p["available"] and abs(p["level"] - 25.0) < 1.0)

        # Groups verified: the gear outside its group is found by QUERY GROUPS, repaired with
        # send-twice ADD TO GROUP and read again.
        mismatch = event("dali.group_mismatch", lambda e: e["luminaire"] == "L-3")
        self.assertEqual((mismatch["want"], mismatch["have"], mismatch["action"]), ([1], [], "repaired"), mismatch)
        self.assertEqual([control.value(f"groups? {a}") for a in range(3)], [2, 2, 2])

        # Fail-safe levels written (send twice) and verified by query.
        wait_until(lambda: re.search(r"fail-safe levels: \d+ programmed, 0 of 3 not verified", lyktad.stderr()),
                   15, what="fail-safe levels verified")
        for a in range(3):
            self.assertEqual(control.value(f"power-on? {a}"), level_of(60))
            self.assertEqual(control.value(f"system-failure? {a}"), level_of(80))

        # A lamp failure in the simulator becomes a fault (QUERY LAMP FAILURE answered YES, §4.4).
        control("lamp-failure 0 on")
        fault = event("fault.raised", lambda e: e["fault"]["target"] == "luminaire/L-1")["fault"]
        self.assertEqual(fault["kind"], "lamp_failure")
        state("L-1", lambda p: p and p["lamp_failure"] and p["available"])

        # Both sides read everything the other wrote.
        log = lyktad.stderr()
        self.assertNotIn("unexpected message", log)
        self.assertNotIn("dropped bad data", log)
        self.assertNotIn("timed out", log)
        self.assertEqual(control("refused?"), "refused corrupt 0 invalid 0 buffer_full 0")
        self.assertTrue(lyktad.running())

    def test_dalinet_over_tcp(self):
        self.run_site("--listen", "127.0.0.1:0", "--send-twice-reports", "twice")

    def test_dalinet_over_tcp_send_twice_reported_once(self):
        self.run_site("--listen", "127.0.0.1:0", "--send-twice-reports", "once")

    def test_dali232_over_a_pty(self):
        self.run_site("--pty", "--send-twice-reports", "twice")

    def test_dali232_over_a_pty_send_twice_reported_once(self):
        self.run_site("--pty", "--send-twice-reports", "once")


if __name__ == "__main__":
    unittest.main()
