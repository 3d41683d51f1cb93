"""Every command that takes a time reads it with the one RFC 3339 parser
(RFC 3339 section 5.6, issue 21): the same instant written with a fraction of
1 to 9 digits, "Z", "z", "t" or a numeric offset gets the same answer from each
of them, and a bare date is taken where the command allows one. The config's
times (safety_flags' from/until) load the same instant from every spelling,
and `lyktad --check` takes and refuses what the commands do. Black-box: lyktad
with lykta-sim dali over TCP and a real mosquitto."""
import os
import subprocess
import tempfile
import unittest

from harness import BIN, Lyktad, Mosquitto, Observer, Sim, minimal_config, write_config

P = "lykta/test-gw"
CONFIG = """
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{port}", sweep_s: 0.3 }}
luminaires:
  - {{ id: L-1, bus: bus1, address: 0, area: torget }}
areas:
  - {{ id: torget, profile: dim, safety_profile: trygg }}
profiles:
  dim:
    - {{ at: "12:00", level: 20 }}
  trygg:
    - {{ at: "12:00", level: 80 }}
"""

# One instant, 2027-06-01T20:00:00Z (22:00 in Stockholm), spelt every way RFC 3339 allows.
CANONICAL = "2027-06-01T20:00:00Z"
SPELLINGS = [CANONICAL, "2027-06-01T20:00:00z", "2027-06-01t20:00:00Z", "2027-06-01 20:00:00Z",
             "2027-06-01T22:00:00+02:00", "2027-06-01T15:30:00-04:30", "2027-06-01T20:00:00-00:00",
             "2027-06-01T22:00:00.123456+02:00"] + [
    "2027-06-01T20:00:00." + "123456789"[:digits] + ("Z" if digits % 2 else "+00:00") for digits in range(1, 10)]
DATE = "2027-06-01"
# Not RFC 3339 date-times (nor dates): refused everywhere, the message quoting them.
REFUSED = ["2027-06-01T20:00:00.Z", "2027-06-01T20:00:00", "2027-06-01T20:00Z", "2027-06-01T20:00:00+0200",
           "2027-02-29T20:00:00Z", "2027-06-01T20:00:00Z junk", "2027-6-1"]

# One row per time argument of every command that takes one (docs/mqtt-api.md, "Command list"):
# (command, the time argument, the other arguments, the part of the answer that must be equal,
#  whether a bare date is allowed). The other times are fixed around the instant.
ARGUMENTS = [
    ("report/get", "from", {"to": "2027-06-30"}, lambda data: data, True),
    ("report/get", "to", {"from": "2027-05-01"}, lambda data: data, True),
    ("explain", "at", {"luminaire": "L-1"}, lambda data: data, True),
    ("luminaire/set", "until", {"luminaire": "L-1", "level": 40}, lambda data: data["override"]["until"], True),
    ("area/set", "until", {"area": "torget", "level": 50}, lambda data: data["override"]["until"], True),
    ("area/safety", "from", {"area": "torget", "reason": "test", "source": "police", "until": "2027-07-01"},
     lambda data: data["flag"]["from"], True),
    ("area/safety", "until", {"area": "torget", "reason": "test", "source": "police"},
     lambda data: data["flag"]["until"], True),
]

# The config's times (docs/config.md, safety_flags): one standing flag per spelling and key.
FLAGS = "safety_flags:\n" + "".join(
    f'  - {{ id: from-{i}, area: torget, from: "{text}", until: "2027-07-01" }}\n'
    f'  - {{ id: until-{i}, area: torget, from: "2027-05-01", until: "{text}" }}\n'
    for i, text in enumerate(SPELLINGS))


def check(path):
    return subprocess.run([os.path.join(BIN, "lyktad"), "--check", path], capture_output=True, text=True,
                          timeout=30)


class TimeArguments(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="lykta-times-")
        cls.broker = Mosquitto()
        cls.sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "1")
        port = int(cls.sim.read_line("listening ").rsplit(":", 1)[1])
        cls.observer = Observer(cls.broker.port, [f"{P}/status", f"{P}/response/#"])
        config = minimal_config(cls.broker.port, os.path.join(cls.dir.name, "lykta.db"),
                                extra=CONFIG.format(port=port) + FLAGS)
        cls.config = config
        cls.config_path = write_config(cls.dir.name, config)
        cls.lyktad = Lyktad(cls.config_path)
        cls.observer.wait_for(f"{P}/status", lambda p: p and p.get("state") == "online")

    @classmethod
    def tearDownClass(cls):
        cls.observer.close()
        cls.lyktad.stop()
        cls.sim.stop()
        cls.broker.stop()
        cls.dir.cleanup()

    def ask(self, command, name, others, text):
        return self.observer.request(P, command, {**others, name: text})

    def test_every_spelling_of_an_instant_gets_the_same_answer(self):
        for command, name, others, relevant, _ in ARGUMENTS:
            reference = self.ask(command, name, others, CANONICAL)
            self.assertEqual(reference["status"], "ok", (command, name, reference))
            for text in SPELLINGS:
                with self.subTest(command=command, argument=name, time=text):
                    answer = self.ask(command, name, others, text)
                    self.assertEqual(answer["status"], "ok", answer)
                    self.assertEqual(relevant(answer["data"]), relevant(reference["data"]))

    def test_a_bare_date_where_the_command_allows_one(self):
        for command, name, others, _, date_allowed in ARGUMENTS:
            with self.subTest(command=command, argument=name):
                answer = self.ask(command, name, others, DATE)
                self.assertEqual(answer["status"], "ok" if date_allowed else "error", answer)

    def test_what_rfc_3339_does_not_allow_is_refused_by_every_command(self):
        for command, name, others, _, _ in ARGUMENTS:
            for text in REFUSED:
                with self.subTest(command=command, argument=name, time=text):
                    answer = self.ask(command, name, others, text)
                    self.assertEqual(answer["status"], "error", answer)
                    self.assertEqual(answer["error"]["code"], "bad_request", answer)
                    self.assertEqual(answer["error"].get("field"), name, answer)
                    self.assertIn(text, answer["error"]["message"])

    def test_every_spelling_in_the_config_loads_the_same_instant(self):
        # The same instant as area/safety takes it, for both of a flag's times.
        expected = {key: self.ask("area/safety", key, others, CANONICAL)["data"]["flag"][key]
                    for command, key, others, _, _ in ARGUMENTS if command == "area/safety"}
        answer = self.observer.request(P, "area/safety/list", {"area": "torget"})
        self.assertEqual(answer["status"], "ok", answer)
        flags = {flag["id"]: flag for flag in answer["data"]["flags"] if flag["origin"] == "config"}
        for i, text in enumerate(SPELLINGS):
            for key in ("from", "until"):
                with self.subTest(key=key, time=text):
                    self.assertEqual(flags[f"{key}-{i}"][key], expected[key])

    def test_check_takes_every_spelling_and_refuses_the_rest(self):
        result = check(self.config_path)
        self.assertEqual(result.returncode, 0, result.stderr)
        for text in REFUSED:
            for key in ("from", "until"):
                with self.subTest(key=key, time=text):
                    path = write_config(self.dir.name, self.config + (
                        f'  - {{ id: bad, area: torget, {key}: "{text}", '
                        'recurrence: { from: "20:00", to: "04:00" } }\n'), name="refused.yaml")
                    result = check(path)
                    self.assertEqual(result.returncode, 1, result.stderr)
                    flag = f"safety_flags[{2 * len(SPELLINGS)}].{key}: "
                    self.assertTrue(any(flag in line and text in line for line in result.stderr.splitlines()),
                                    result.stderr)


if __name__ == "__main__":
    unittest.main()
