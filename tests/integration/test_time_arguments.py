"""Every command that takes a time reads it with the one RFC 3339 parser
(RFC 3339 section 5.6, issue 21): the same instant written with a fraction of
1 to 9 digits, "Z", "z", "t" or a numeric offset gets the same answer from each
of them, and a bare date is taken where the command allows one. Black-box:
lyktad with lykta-sim dali over TCP and a real mosquitto."""
import os
import tempfile
import unittest

from harness import Lyktad, Mosquitto, Observer, Sim, minimal_config, write_config

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

# command -> (the time arguments, the other arguments, the part of the answer that must be equal,
#             whether a bare date is allowed)
COMMANDS = {
    "report/get": (["from", "to"], {}, lambda data: data, True),
    "explain": (["at"], {"luminaire": "L-1"}, lambda data: data, True),
    "area/set": (["until"], {"area": "torget", "level": 50}, lambda data: data["override"]["until"], True),
    "area/safety": (["until"], {"area": "torget", "reason": "test", "source": "police"},
                    lambda data: data["flag"]["until"], True),
}


class TimeArguments(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="lykta-times-")
        cls.broker = Mosquitto()
        cls.sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "1")
        port = int(cls.sim.read_line("listening ").rsplit(":", 1)[1])
        cls.observer = Observer(cls.broker.port, [f"{P}/status", f"{P}/response/#"])
        config = minimal_config(cls.broker.port, os.path.join(cls.dir.name, "lykta.db"),
                                extra=CONFIG.format(port=port))
        cls.lyktad = Lyktad(write_config(cls.dir.name, config))
        cls.observer.wait_for(f"{P}/status", lambda p: p and p.get("state") == "online")

    @classmethod
    def tearDownClass(cls):
        cls.observer.close()
        cls.lyktad.stop()
        cls.sim.stop()
        cls.broker.stop()
        cls.dir.cleanup()

    def ask(self, command, text):
        names, others, _, _ = COMMANDS[command]
        return self.observer.request(P, command, {**others, **{name: text for name in names}})

    def test_every_spelling_of_an_instant_gets_the_same_answer(self):
        for command, (_, _, relevant, _) in COMMANDS.items():
            reference = self.ask(command, CANONICAL)
            self.assertEqual(reference["status"], "ok", (command, reference))
            for text in SPELLINGS:
                with self.subTest(command=command, time=text):
                    answer = self.ask(command, text)
                    self.assertEqual(answer["status"], "ok", answer)
                    self.assertEqual(relevant(answer["data"]), relevant(reference["data"]))

    def test_a_bare_date_where_the_command_allows_one(self):
        for command, (_, _, _, date_allowed) in COMMANDS.items():
            with self.subTest(command=command):
                answer = self.ask(command, DATE)
                self.assertEqual(answer["status"], "ok" if date_allowed else "error", answer)

    def test_what_rfc_3339_does_not_allow_is_refused_by_every_command(self):
        for command in COMMANDS:
            for text in ["2027-06-01T20:00:00.Z", "2027-06-01T20:00:00", "2027-06-01T20:00Z",
                         "2027-06-01T20:00:00+0200", "2027-02-29T20:00:00Z", "2027-06-01T20:00:00Z junk",
                         "2027-6-1"]:
                with self.subTest(command=command, time=text):
                    answer = self.ask(command, text)
                    self.assertEqual(answer["status"], "error", answer)
                    self.assertEqual(answer["error"]["code"], "bad_request", answer)
                    self.assertIn(text, answer["error"]["message"])


if __name__ == "__main__":
    unittest.main()
