"""The cabinet contactor follows the lighting policy: the real lyktad with
`lykta-sim dali` (4 gear) and `lykta-sim modbus` (the relay module at unit 2)
over TCP and a real mosquitto. Area overrides over MQTT make the policy's
target known whatever the time of day; the relay coil is read from the
simulator's control socket and the commanded state from P/meter/io1/state.
Gear behind the open contactor is made silent in the DALI simulator (no
mains) and must not raise `no_answer`; gear elsewhere still does. The
simulated relay module refuses FC05 (single coil), so every write here is
the FC15 the device's `write_multiple` asks for. Gear that get mains again
(`missing A off` in the DALI simulator) come up at their POWER ON LEVEL, as
real gear do when the contactor closes."""
import json
import os
import tempfile
import unittest

from harness import (Lyktad, Mosquitto, Observer, Sim, SimControl, minimal_config, modbus_config, modbus_device,
                     modbus_tcp_network, wait_until, write_config)

PREFIX = "lykta/ct-gw"

# The profile steps at noon only: 20 % all day, whenever the test runs.
CONFIG = """
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{dali_port}", sweep_s: 0.3 }}
luminaires:
  - {{ id: "L-{{n}}", bus: bus1, addresses: 0..2, first: 1, area: torget }}
  - {{ id: P-1, bus: bus1, address: 3, area: park }}
areas:
  - {{ id: torget, profile: dim, power_on_level: 100 }}  # gear boot to full, not to the policy's 20 %
  - {{ id: park, profile: dim }}
profiles:
  dim:
    - {{ at: "12:00", level: 20 }}
faults:
  debounce:
    no_answer: {{ raise_after: 2 }}
"""


class ContactorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lykta-contactor-")
        cls.broker = Mosquitto()
        cls.dali = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "4", "--control", "127.0.0.1:0")
        dali_port = int(cls.dali.read_line("listening ").rsplit(":", 1)[1])
        cls.gear = SimControl(cls.dali)
        cls.modbus = Sim("modbus", "--listen", "127.0.0.1:0")
        modbus_port = int(cls.modbus.read_line("listening ").rsplit(":", 1)[1])
        cls.relay = SimControl(cls.modbus)
        # This relay module takes FC15 only: the device's write_multiple makes every write one.
        cls.relay("multiple-writes-only 2 on")
        extra = CONFIG.format(dali_port=dali_port) + modbus_config(
            [modbus_tcp_network(modbus_port)], [modbus_device("io1", 2, "relay-di-8", write_multiple=True)],
            contactors=[{"device": "io1", "value": "contactor", "areas": ["torget"], "retry_s": 0.2,
                         "power_up_s": 0.5}])
        config = write_config(cls.dir, minimal_config(cls.broker.port, os.path.join(cls.dir, "l.db"),
                                                      gateway_id="ct-gw", extra=extra))
        cls.observer = Observer(cls.broker.port, topics=(f"{PREFIX}/#",))
        cls.lyktad = Lyktad(config)
        cls.observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online")

    @classmethod
    def tearDownClass(cls):
        cls.lyktad.stop()
        cls.observer.close()
        cls.gear.close()
        cls.relay.close()
        cls.modbus.stop()
        cls.dali.stop()
        cls.broker.stop()

    def tearDown(self):
        self.relay("ignore-writes 2 off")
        for address in range(4):
            self.gear(f"missing {address} off")
        self.ask("override/clear", area="torget")
        self.wait_contactor(True)

    def ask(self, command, **args):
        answer = self.observer.request(PREFIX, command, args)
        self.assertEqual(answer["status"], "ok", answer)
        return answer["data"]

    def coil(self):
        """Relay 1 as the simulated module holds it: 'ok unit 2 relay-di-8 contactor=1 ...'."""
        return self.relay("get 2").split("contactor=")[1].split()[0] == "1"

    def contactor_state(self, predicate, timeout=10):
        """Waits until the latest P/meter/io1/state says predicate of its contactor."""
        topic = f"{PREFIX}/meter/io1/state"

        def latest():
            for m in reversed(self.observer.snapshot()):
                if m.topic == topic and m.payload:
                    contactor = json.loads(m.payload).get("contactors", {}).get("contactor")
                    return (contactor,) if contactor and predicate(contactor) else None
            return None
        return wait_until(latest, timeout, what="the contactor state on MQTT")[0]

    def wait_contactor(self, on):
        wait_until(lambda: self.coil() == on, 10, what=f"relay coil {'on' if on else 'off'}")
        return self.contactor_state(lambda c: c["wanted"] is on and c["state"] == ("on" if on else "off"))

    def test_follows_the_area_target(self):
        state = self.wait_contactor(True)  # the schedule's 20 % in torget
        self.assertEqual(state["areas"], ["torget"])
        self.assertTrue(state["since"].endswith("Z"))

        self.ask("area/set", area="torget", level=0, duration_s=600)
        self.wait_contactor(False)
        # The park stays lit: it is not behind this contactor.
        self.assertGreater(self.gear.value("level? 3"), 0)

        self.ask("override/clear", area="torget")
        self.wait_contactor(True)

    def test_a_refused_write_is_retried_until_it_takes(self):
        self.wait_contactor(True)
        self.relay("ignore-writes 2 on")  # a stuck relay: readback differs
        self.ask("area/set", area="torget", level=0, duration_s=600)
        failing = self.contactor_state(lambda c: c["state"] == "failing")
        self.assertIn("read back", failing["error"])
        self.assertFalse(failing["wanted"])
        self.assertTrue(self.coil())
        self.relay("ignore-writes 2 off")
        self.wait_contactor(False)

    def test_an_output_switched_behind_its_back_is_switched_again(self):
        self.wait_contactor(True)
        answer = self.observer.request(PREFIX, "modbus/write", {"device": "io1", "value": "contactor", "set": False})
        self.assertEqual(answer["status"], "ok", answer)
        # The write itself took (read back off); the next poll has the control switch it on again.
        self.assertFalse(answer["data"]["read_back"])
        self.wait_contactor(True)

    def test_gear_without_mains_raises_no_fault(self):
        self.wait_contactor(True)
        self.ask("area/set", area="torget", level=0, duration_s=600)
        self.wait_contactor(False)
        since = len(self.observer.snapshot())
        for address in range(3):  # torget's gear lose mains with the contactor
            self.gear(f"missing {address} on")
        self.gear("missing 3 on")  # the park's gear is really gone
        # The sweeps see torget's gear silent (and publish it) ...
        self.observer.wait_for(f"{PREFIX}/luminaire/L-1/state",
                               lambda p: isinstance(p, dict) and p.get("available") is False, 10, since)
        # ... and judge only the park's: raise_after 2 sweeps of 0.3 s.
        raised = self.observer.wait_for(
            f"{PREFIX}/event", lambda p: isinstance(p, dict) and p.get("type") == "fault.raised"
            and p["fault"]["kind"] == "no_answer", 15, since)
        self.assertEqual(raised["fault"]["target"], "luminaire/P-1")
        # Two more sweeps' worth of DALI frames, then still P-1 alone.
        frames = lambda: int(self.gear("frames?").split()[1])  # "frames N answers N ..."
        before = frames()
        wait_until(lambda: frames() >= before + 16, 10, what="two more sweeps")
        events = [json.loads(m.payload) for m in self.observer.snapshot()[since:] if m.topic == f"{PREFIX}/event"]
        raised = [e["fault"]["target"] for e in events if e.get("type") == "fault.raised"]
        self.assertEqual(raised, ["luminaire/P-1"])
        self.gear("missing 3 off")

    def test_gear_powered_up_by_the_contactor_get_the_policy_level(self):
        self.wait_contactor(True)
        self.ask("area/set", area="torget", level=0, duration_s=600)
        self.wait_contactor(False)
        # Hold the contactor open (writes read back off) while the policy lights the area again.
        self.relay("ignore-writes 2 on")
        for address in range(3):  # no mains behind the open contactor: the frames are lost
            self.gear(f"missing {address} on")
        self.ask("override/clear", area="torget")  # answered after the 20 % frames went out
        self.contactor_state(lambda c: c["wanted"] is True and c["state"] == "failing")
        for address in range(3):  # mains back: the gear boot to their POWER ON LEVEL
            self.gear(f"missing {address} off")
        power_on = self.gear.value("power-on? 0")
        for address in range(3):
            self.assertEqual(self.gear.value(f"level? {address}"), power_on)
        target = self.gear.value("level? 3")  # the park's gear at the same 20 %
        self.assertNotEqual(target, power_on)

        self.relay("ignore-writes 2 off")  # the next retry closes the contactor
        self.wait_contactor(True)
        # power_up_s (0.5 s) later the lighting sends torget's levels again.
        wait_until(lambda: all(self.gear.value(f"level? {a}") == target for a in range(3)), 10,
                   what="torget's gear at the policy's 20 % after the contactor closed")


if __name__ == "__main__":
    unittest.main()
