"""The field's outages, one after another, against the real daemon. The
lighting policy drives the gear, so every expected level follows from it: the
profile gives a constant level day and night, and luminaire/set overrides
(over MQTT, or through lyktactl while the broker is away) change single
luminaires. Checked at the end: the simulator's gear levels and the published
read-back states.
- the broker goes down and comes back repeatedly while events are produced
  (the daemon is restarted during every outage: gateway.started, and an
  override set through lyktactl, both offline) and lamp failures change on the
  bus → once the broker stays up, every seq ever assigned arrives, in order,
  the overrides survived every restart, and the retained luminaire states are
  the bus's final ones;
- the DALI gateway (simulator) loses 5 % of answers and garbles 5 % into
  collisions while overrides and lamp failures change → the gear end at the
  commanded levels and the published read-back levels and failure flags are right;
- the DALI gateway dies and comes back on the same port with its gear at the
  power-on level → the bus is reopened and the policy's levels applied again."""
import json
import math
import os
import signal
import subprocess
import tempfile
import unittest

from fixtures import LUMINAIRES, P, counters, dali_config, start_dali_sim, start_lyktad
from harness import BIN, Mosquitto, Observer, wait_until, write_config

PROFILE_LEVEL = 60  # percent, all day and night: one step; before it the previous night's last level


def arc(percent):
    """The DALI arc power level lyktad sends for a percentage (logarithmic curve, IEC 62386-102)."""
    if percent <= 0:
        return 0
    if percent >= 100:
        return 254
    return min(254, max(1, round(1 + (253 / 3) * (math.log10(percent) + 1))))


def read_back(level):
    """The percentage a gear at arc level `level` reports, as published (one decimal)."""
    if level == 0:
        return 0.0
    return round(10 ** ((min(level, 254) - 1) / (253 / 3) - 1) * 10) / 10


class Outages(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-outages-")
        self.broker = Mosquitto(persistent=True)
        self.addCleanup(self.broker.stop)
        self.store = os.path.join(self.dir, "lykta.db")
        self.start_sim()

    def start_sim(self, port=0, *faults):
        self.sim, self.sim_port, self.control = start_dali_sim(self, port, *faults)

    def start_daemon(self):
        self.config = write_config(self.dir, dali_config(self.broker.port, self.store, self.sim_port, PROFILE_LEVEL))
        return start_lyktad(self, self.config)

    def lyktactl(self, *args):
        """lyktactl against the running daemon's control socket (works without a broker)."""
        out = subprocess.run([os.path.join(BIN, "lyktactl"), "--config", self.config, *args],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, f"lyktactl {args}: {out.stderr}")
        return json.loads(out.stdout)

    def gear_level(self, address):
        return self.control.value(f"level? {address}")

    def wait_gear(self, levels, timeout=20):
        """The simulator's gear reach the given arc levels ({address: arc})."""
        wait_until(lambda: all(self.gear_level(a) == want for a, want in levels.items()), timeout,
                   what=f"gear levels {levels}; got { {a: self.gear_level(a) for a in levels} }")

    @staticmethod
    def state(level, lamp_failure=None):
        """A predicate on a published luminaire state: available, at `level`, the lamp flag as given."""
        return lambda p: (p.get("available") is True and p.get("level") == level
                          and (lamp_failure is None or p.get("lamp_failure") is lamp_failure))

    def latest(self, observer, luminaire):
        """The newest state the broker holds for a luminaire (retained or live)."""
        found = None
        for m in observer.snapshot():
            if m.topic == f"{P}/luminaire/{luminaire}/state" and m.payload:
                found = json.loads(m.payload)
        return found

    def wait_final(self, observer, expected, timeout=20):
        """Every luminaire's newest published state matches `expected[id]` (a predicate)."""
        def settled():
            return all(expected[lid](self.latest(observer, lid) or {}) for lid in expected)
        wait_until(settled, timeout, what=f"final luminaire states; got "
                   f"{ {lid: self.latest(observer, lid) for lid in expected} }")

    def test_broker_restarted_repeatedly_loses_no_event_and_ends_with_the_bus_state(self):
        platform = Observer(self.broker.port, [f"{P}/event", f"{P}/luminaire/+/state"],
                            client_id="platform-outages", clean_session=False)
        self.addCleanup(platform.close)
        daemon = self.start_daemon()
        platform.wait_for(f"{P}/event", lambda p: p and p.get("type") == "gateway.started")
        overrides = {}  # luminaire -> percent commanded last
        for cycle in range(5):
            self.broker.stop()  # SIGTERM: the broker saves the platform's queued session
            self.control(f"lamp-failure {cycle % LUMINAIRES} {'on' if cycle % 2 == 0 else 'off'}")
            self.assertEqual(daemon.stop(signal.SIGTERM), 0)  # bounded shutdown with the broker gone
            daemon = self.start_daemon()  # its gateway.started is produced offline
            wait_until(lambda: "failed" in daemon.stderr(), what="a failed connect attempt")
            wait_until(lambda: os.path.exists(os.path.join(self.dir, "lyktad.sock")), what="the control socket")
            luminaire, level = f"L-{cycle % LUMINAIRES + 1}", 20 + 15 * cycle
            answer = self.lyktactl("call", "luminaire/set", json.dumps({"luminaire": luminaire, "level": level}))
            self.assertEqual(answer["levels"][luminaire], read_back(arc(level)), answer)
            overrides[luminaire] = level
            self.broker.start_again()
            wait_until(lambda: counters(self.store)[2] == 0, timeout=30,
                       what=f"the outbox to drain after outage {cycle}")

        assigned = counters(self.store)[1]
        def events():
            return [json.loads(m.payload) for m in platform.snapshot() if m.topic == f"{P}/event"]
        wait_until(lambda: {e["seq"] for e in events()} >= set(range(1, assigned + 1)), timeout=20,
                   what=f"seq 1..{assigned} at the platform; got {[e['seq'] for e in events()]}")
        seqs = [e["seq"] for e in events()]
        first_seen = [s for k, s in enumerate(seqs) if s not in seqs[:k]]
        self.assertEqual(first_seen, sorted(first_seen), f"events out of order: {seqs}")
        self.assertEqual(sorted(set(seqs)), list(range(1, assigned + 1)))
        historical = {e["seq"]: e["type"] for e in events() if e.get("historical")}
        self.assertGreaterEqual(list(historical.values()).count("gateway.started"), 5, historical)
        self.assertGreaterEqual(list(historical.values()).count("override.set"), 5, historical)

        # Overrides (each set before the daemon's later restarts, so restored from the store):
        # L-1 80 % (cycle 4 replaced cycle 0's), L-2 35, L-3 50, L-4 65. Lamp failures:
        # cycles 0, 2, 4 on (addresses 0, 2, 0), cycles 1, 3 off (addresses 1, 3).
        self.assertEqual(overrides, {"L-1": 80, "L-2": 35, "L-3": 50, "L-4": 65})
        self.wait_gear({n - 1: arc(overrides[f"L-{n}"]) for n in range(1, LUMINAIRES + 1)})
        self.wait_final(platform, {f"L-{n}": self.state(read_back(arc(overrides[f"L-{n}"])), n % 2 == 1)
                                   for n in range(1, LUMINAIRES + 1)})

    def test_lost_answers_and_collisions_still_give_the_right_final_states(self):
        observer = Observer(self.broker.port, [f"{P}/luminaire/+/state", f"{P}/response/#"])
        self.addCleanup(observer.close)
        self.start_daemon()
        profile = read_back(arc(PROFILE_LEVEL))
        self.wait_final(observer, {f"L-{n}": self.state(profile) for n in range(1, LUMINAIRES + 1)})
        self.control("no-answer-rate 0.05")
        self.control("collision-rate 0.05")
        final = {}
        for step in range(12):
            address = step % LUMINAIRES
            luminaire = f"L-{address + 1}"
            level = (100, 10, 45)[step % 3]
            failed = step % 2 == 0
            self.control(f"lamp-failure {address} {'on' if failed else 'off'}")
            answer = observer.request(P, "luminaire/set", {"luminaire": luminaire, "level": level})
            self.assertEqual(answer["status"], "ok", answer)  # a lost read-back answer is a null level, not an error
            final[luminaire] = (level, failed)
        self.wait_gear({int(lid[2:]) - 1: arc(level) for lid, (level, _) in final.items()})
        self.wait_final(observer, {lid: self.state(read_back(arc(level)), failed)
                                   for lid, (level, failed) in final.items()}, timeout=30)
        frames = self.control("frames?").split()
        counted = dict(zip(frames[::2], map(int, frames[1::2])))
        self.assertGreater(counted["no_answers"] + counted["collisions"], 0,
                           f"the simulator injected no faults: {counted}")

    def test_dali_gateway_killed_and_restarted_on_the_same_port(self):
        observer = Observer(self.broker.port, [f"{P}/luminaire/+/state", f"{P}/response/#"])
        self.addCleanup(observer.close)
        daemon = self.start_daemon()
        profile = read_back(arc(PROFILE_LEVEL))
        self.wait_final(observer, {f"L-{n}": self.state(profile) for n in range(1, LUMINAIRES + 1)})
        self.assertEqual(observer.request(P, "luminaire/set", {"luminaire": "L-3", "level": 100})["status"], "ok")
        expected = {lid: self.state(100.0 if lid == "L-3" else profile)
                    for lid in (f"L-{n}" for n in range(1, LUMINAIRES + 1))}
        self.wait_final(observer, expected)
        port = self.sim_port
        self.control.close()
        self.sim.kill()
        self.wait_final(observer, {lid: lambda p: p.get("available") is False
                                   for lid in (f"L-{n}" for n in range(1, LUMINAIRES + 1))})
        self.start_sim(port)  # gear at their power-on level (254): mains restored behind the gateway
        self.wait_gear({0: arc(PROFILE_LEVEL), 1: arc(PROFILE_LEVEL), 2: 254, 3: arc(PROFILE_LEVEL)}, timeout=30)
        self.wait_final(observer, expected, timeout=30)
        self.assertTrue(daemon.running())


if __name__ == "__main__":
    unittest.main()
