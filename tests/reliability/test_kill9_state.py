"""kill -9 of lyktad right after it confirmed a change, for every kind of state
that must survive: overrides, safety flags, schedule revisions, faults (raised,
then acknowledged) and statistics counters. Each round starts the daemon,
checks that everything confirmed in earlier rounds is there (through the API,
as the platform would see it), makes one change, and kills the daemon with
SIGKILL the moment the response (or, for a raised fault, P/alarms) arrives.
After every kill the store must pass PRAGMA integrity_check. Bounded: each
kind of change twice (LYKTA_KILL9_STATE_ROUNDS changes the number of rounds)."""
import os
import tempfile
import unittest

from fixtures import LUMINAIRES, P, dali_config, integrity, start_dali_sim, start_lyktad
from harness import Mosquitto, Observer, write_config

KINDS = ("override", "safety_flag", "schedule", "fault_raised", "fault_acknowledged", "statistics")
ROUNDS = int(os.environ.get("LYKTA_KILL9_STATE_ROUNDS", str(2 * len(KINDS))))


def config_text(broker_port, store, dali_port):
    return dali_config(broker_port, store, dali_port, 60, more="""  safe:
    - { at: "12:00", level: 100 }
faults:
  debounce:
    lamp_failure: { raise_after: 1, clear_after: 1 }
""")


class Kill9State(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-kill9-state-")
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.sim, port, self.control = start_dali_sim(self)
        self.store = os.path.join(self.dir, "lykta.db")
        self.config = write_config(self.dir, config_text(self.broker.port, self.store, port))
        self.observer = Observer(self.broker.port, [f"{P}/status", f"{P}/alarms", f"{P}/response/#"])
        self.addCleanup(self.observer.close)
        # What the daemon confirmed so far, i.e. what every later start must show.
        self.overrides = {}        # luminaire -> level
        self.flags = {}            # flag id -> local date it is in force on
        self.revision = None       # schedule revision
        self.faults = {}           # fault id -> luminaire target
        self.acknowledged = {}     # fault id -> by
        self.statistics = None     # (faults_raised, lit_hours) of the last report

    def request(self, command, args):
        answer = self.observer.request(P, command, args)
        self.assertEqual(answer["status"], "ok", f"{command} {args}: {answer}")
        return answer["data"]

    def start(self):
        since = len(self.observer.snapshot())
        daemon = start_lyktad(self, self.config)
        try:
            self.observer.wait_for(f"{P}/status", lambda p: p and p.get("state") == "online", since=since)
        except AssertionError:
            raise AssertionError(f"not online; log: {daemon.stderr()[-2000:]}")
        return daemon

    def kill(self, daemon, context):
        daemon.kill()
        self.assertEqual(integrity(self.store), "ok", context)

    def check_everything(self, context):
        for luminaire, level in self.overrides.items():
            reason = self.request("explain", {"luminaire": luminaire})["reason"]
            self.assertEqual((reason["source"], reason["id"]), ("override", f"override-luminaire-{luminaire}"),
                             f"override of {luminaire} lost; {context}")
            self.assertIn(f"{level} %", reason["detail"], context)
        for flag, day in self.flags.items():
            decision = self.request("explain", {"area": "torget", "at": f"{day}T22:00:00+01:00"})
            layers = [layer for layer in decision["luminaires"][0]["stack"] if layer["source"] == "safety"]
            self.assertEqual([layer["id"] for layer in layers if layer["active"]], [flag],
                             f"safety flag {flag} lost; {context}: {layers}")
        if self.revision is not None:
            self.assertEqual(self.request("schedule/get", {})["revision"], self.revision,
                             f"schedule revision lost; {context}")
        listed = {f["id"]: f for f in self.request("faults/list", {"active_only": False})["faults"]}
        for fault, target in self.faults.items():
            self.assertIn(fault, listed, f"fault {fault} lost; {context}")
            self.assertEqual(listed[fault]["target"], target, context)
        for fault, by in self.acknowledged.items():
            self.assertTrue(listed[fault]["acknowledged"], f"acknowledgement of {fault} lost; {context}")
            self.assertEqual(listed[fault]["acknowledged_by"], by, context)
        if self.statistics is not None:
            now = self.report()
            self.assertGreaterEqual(now[0], self.statistics[0], f"faults_raised went back; {context}")
            self.assertGreaterEqual(now[1], self.statistics[1], f"lit_hours went back; {context}")

    def report(self):
        total = self.request("report/get", {"from": "2026-01-01", "to": "2030-12-31", "granularity": "month"})
        total = total["areas"][0]["total"]
        return total["faults_raised"], total["lit_hours"]

    def change(self, kind, n, daemon):
        """Makes one confirmed change and kills the daemon as soon as it is confirmed."""
        context = f"round {n} ({kind})"
        if kind == "override":
            luminaire, level = f"L-{n % LUMINAIRES + 1}", 20 + n
            self.request("luminaire/set", {"luminaire": luminaire, "level": level})
            self.kill(daemon, context)
            self.overrides[luminaire] = level
        elif kind == "safety_flag":
            # No flag id of our own: the API's `id` is also the request id (the flag gets it).
            day = f"2027-01-{n + 1:02d}"
            answer = self.request("area/safety", {"area": "torget", "from": day, "until": day,
                                                  "reason": f"round {n}", "source": "police", "profile": "safe"})
            self.kill(daemon, context)
            self.flags[answer["flag"]["id"]] = day
        elif kind == "schedule":
            revision = self.request("schedule/get", {})["revision"]
            profiles = {"constant": {"steps": [{"at": "12:00", "level": 60 + n}]},  # the section is replaced
                        "safe": {"steps": [{"at": "12:00", "level": 100}]}}
            answer = self.request("schedule/set", {"revision": revision, "profiles": profiles})
            self.kill(daemon, context)
            self.assertGreater(answer["revision"], revision)
            self.revision = answer["revision"]
        elif kind == "fault_raised":
            address = len(self.faults) % LUMINAIRES
            target = f"luminaire/L-{address + 1}"
            since = len(self.observer.snapshot())
            self.control(f"lamp-failure {address} on")
            alarms = self.observer.wait_for(
                f"{P}/alarms", lambda a: a and any(f["target"] == target for f in a["active"]), since=since)
            self.kill(daemon, context)
            fault = next(f for f in alarms["active"] if f["target"] == target)
            self.faults[fault["id"]] = target
        elif kind == "fault_acknowledged":
            fault = next(f for f in self.faults if f not in self.acknowledged)
            by = f"crew-{n}"
            self.request("faults/ack", {"fault": fault, "by": by, "note": f"round {n}"})
            self.kill(daemon, context)
            self.acknowledged[fault] = by
        elif kind == "statistics":
            figures = self.report()  # report/get flushes the open intervals first
            self.kill(daemon, context)
            self.statistics = figures

    def test_every_confirmed_change_survives_kill9_right_after_its_confirmation(self):
        for n in range(ROUNDS):
            daemon = self.start()
            self.check_everything(f"start {n}, log: {daemon.stderr()[-1500:]}")
            self.change(KINDS[n % len(KINDS)], n, daemon)
        daemon = self.start()
        self.check_everything("the final start")
        self.assertTrue(self.faults and self.acknowledged and self.overrides and self.flags)
        self.assertGreater(self.statistics[0], 0, "the raised faults are counted")
        print(f"kill9 state: {ROUNDS} kills; {len(self.overrides)} overrides, {len(self.flags)} flags, "
              f"schedule revision {self.revision}, {len(self.faults)} faults ({len(self.acknowledged)} "
              f"acknowledged), statistics {self.statistics}")


if __name__ == "__main__":
    unittest.main()
