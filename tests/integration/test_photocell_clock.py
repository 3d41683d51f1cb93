"""Photocell gating and clock safety end to end: the real lyktad polls a lux
sensor in `lykta-sim modbus` (unit 3) over Modbus TCP, drives `lykta-sim dali`
and publishes through a real mosquitto. The time of day is whatever it is when
this runs, so the assertions hold at any hour: the lux set in the simulator
reaches the lighting feature (explain), a healthy sensor is never the astro
fallback, a sensor that stops answering is, with the reason in the area's
retained state, and comes back when it answers again. The clock fault follows
the kernel's own NTP state, read here with ntp_adjtime too."""
import ctypes
import json
import os
import tempfile
import unittest

from harness import (SOURCE, Lyktad, Mosquitto, Observer, Sim, minimal_config, modbus_config, modbus_device,
                     modbus_tcp_network, write_config)
from test_modbus_gateway import SimControl as ModbusControl

GATEWAY = "pc-gw"
PREFIX = f"lykta/{GATEWAY}"
STA_UNSYNC = 0x40
TIME_ERROR = 5


def kernel_clock_synchronised():
    """As lyktad decides it (policy/clock_health.cpp): None when the kernel does not say."""
    libc = ctypes.CDLL(None, use_errno=True)
    timex = ctypes.create_string_buffer(512)  # struct timex, modes = 0: read only
    state = libc.ntp_adjtime(timex)
    if state < 0:
        return None
    status = ctypes.c_int.from_buffer(timex, 40).value  # after modes (+pad) and four longs, on LP64
    return not (status & STA_UNSYNC) and state != TIME_ERROR


class PhotocellAndClock(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lykta-photocell-")
        cls.broker = Mosquitto()
        cls.dali = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "2", "--control", "127.0.0.1:0")
        dali_port = int(cls.dali.read_line("listening ").rsplit(":", 1)[1])
        cls.modbus = Sim("modbus", "--listen", "127.0.0.1:0")
        modbus_port = int(cls.modbus.read_line("listening ").rsplit(":", 1)[1])
        cls.control = ModbusControl(int(cls.modbus.read_line("control ").rsplit(":", 1)[1]))
        cls.control("lux 500")  # neither "bright at night" nor "dark by day": never a disagreement
        extra = f"""dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{dali_port}", sweep_s: 0.5 }}
luminaires:
  - {{ id: T-1, bus: bus1, address: 0, area: torget }}
  - {{ id: P-1, bus: bus1, address: 1, area: park }}
areas:
  - {{ id: torget, profile: kvall }}
  - {{ id: park, profile: kvall }}
profiles:
  kvall:
    - {{ at: sunset, level: 80 }}
    - {{ at: sunrise, level: 0 }}
""" + modbus_config([modbus_tcp_network(modbus_port)],
                    [modbus_device("lux1", 3, "lux-sensor", offline_after=2)]) + """photocells:
  - { id: pc1, device: lux1, value: lux, areas: [torget], max_age_s: 5, confirm_s: 0 }
faults:
  debounce:
    clock_unsynchronised: { raise_after: 1, clear_after: 1 }
"""
        config = write_config(cls.dir, minimal_config(cls.broker.port, os.path.join(cls.dir, "l.db"),
                                                      gateway_id=GATEWAY, extra=extra))
        cls.observer = Observer(cls.broker.port, topics=(f"{PREFIX}/#",))
        cls.lyktad = Lyktad(config)
        cls.observer.wait_for(f"{PREFIX}/status", lambda p: p.get("state") == "online")

    @classmethod
    def tearDownClass(cls):
        cls.lyktad.stop()
        cls.observer.close()
        cls.control.close()
        cls.modbus.stop()
        cls.dali.stop()
        cls.broker.stop()

    def area_state(self, predicate, since=0, timeout=10):
        return self.observer.wait_for(f"{PREFIX}/area/torget/state",
                                      lambda p: isinstance(p, dict) and predicate(p), timeout, since)

    def explain_until(self, predicate, timeout=10):
        """explain torget, again on every new meter state, until `predicate(data)` holds."""
        since = 0
        for _ in range(100):
            answer = self.observer.request(PREFIX, "explain", {"area": "torget"})
            self.assertEqual(answer["status"], "ok", answer)
            if predicate(answer["data"]):
                return answer["data"]
            since = len(self.observer.snapshot())
            self.observer.wait_for(f"{PREFIX}/meter/lux1/state", timeout=timeout, since=since)
        self.fail("explain never showed the expected photocell state")

    def test_a_lux_value_reaches_the_lighting_feature(self):
        self.control("lux 777")
        data = self.explain_until(lambda d: d.get("photocell", {}).get("lux") == 777)
        photocell = data["photocell"]
        self.assertEqual(photocell["id"], "pc1")
        self.assertEqual(photocell["device"], "lux1")
        self.assertFalse(photocell["sensor_failed"])
        self.assertIn(photocell["basis"], ("sensor", "window"))  # which one depends on the hour
        self.assertIn("photocell 'pc1'", data["reason"]["detail"] + " ".join(
            layer["detail"] for layer in data["stack"]))
        self.control("lux 500")
        # The ungated area has no photocell in its state.
        park = self.observer.wait_for(f"{PREFIX}/area/park/state", lambda p: isinstance(p, dict))
        self.assertNotIn("photocell", park)

    def test_a_silent_sensor_falls_back_to_the_astro_clock_and_recovers(self):
        self.area_state(lambda p: p.get("photocell", {}).get("sensor_failed") is False)
        since = len(self.observer.snapshot())
        self.control("offline 3")
        try:
            state = self.area_state(lambda p: p.get("photocell", {}).get("basis") == "astro_fallback", since)
            self.assertTrue(state["photocell"]["sensor_failed"])
            self.assertIn("failed", state["photocell"]["reason"])
            self.assertEqual(state["mode"], "schedule")
            # The schedule (sunset 80, sunrise 0) decides alone, whatever the hour: the
            # park, which has no photocell, has the same level.
            park = self.observer.wait_for(f"{PREFIX}/area/park/state", lambda p: isinstance(p, dict))
            self.assertEqual(state["level"], park["level"])
        finally:
            since = len(self.observer.snapshot())
            self.control("online 3")
        state = self.area_state(lambda p: p.get("photocell", {}).get("sensor_failed") is False, since)
        self.assertIn(state["photocell"]["basis"], ("sensor", "window"))

    def test_clock_fault_follows_the_kernel_ntp_state(self):
        synchronised = kernel_clock_synchronised()
        if synchronised is None:
            self.skipTest("ntp_adjtime is not available here")
        def kinds(payload):
            return [f["kind"] for f in payload.get("active", [])] if isinstance(payload, dict) else []

        if synchronised:
            # The first check runs at start, before the gateway announced itself online.
            self.observer.wait_for(f"{PREFIX}/alarms", lambda p: isinstance(p, dict))
            latest = [json.loads(m.payload) for m in self.observer.snapshot() if m.topic == f"{PREFIX}/alarms"][-1]
            self.assertNotIn("clock_unsynchronised", kinds(latest))
        else:
            alarms = self.observer.wait_for(f"{PREFIX}/alarms", lambda p: "clock_unsynchronised" in kinds(p))
            fault = next(f for f in alarms["active"] if f["kind"] == "clock_unsynchronised")
            self.assertEqual(fault["target"], "gateway/clock")
            self.assertIn("not synchronised", fault["detail"])


class PhotocellCheck(unittest.TestCase):
    def test_check_names_a_value_the_template_lacks_at_its_line(self):
        """`lyktad --check` on config/example.yaml with the photocell's value misspelt."""
        import subprocess
        from harness import BIN
        with open(os.path.join(SOURCE, "config", "example.yaml"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("value: photocell ", text)
        broken = text.replace("value: photocell ", "value: fotocell ")
        directory = tempfile.mkdtemp(prefix="lykta-photocell-check-")
        path = write_config(directory, broken.replace("template_dirs: [templates,",
                                                      f"template_dirs: [{os.path.join(SOURCE, 'config/templates')},"))
        result = subprocess.run([os.path.join(BIN, "lyktad"), "--check", path], capture_output=True, text=True,
                                timeout=30)
        self.assertNotEqual(result.returncode, 0)
        line = broken[:broken.index("value: fotocell")].count("\n") + 1
        self.assertIn(f"{path}:{line}:12: photocell 'pc-hamn': template 'relay-di-8' of device 'io1' has no value "
                      "'fotocell'", result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
