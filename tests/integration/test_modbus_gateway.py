"""Modbus end to end: the real lyktad polls `lykta-sim modbus` over Modbus TCP
and over Modbus RTU on a pty pair, and publishes through a real mosquitto.
Values are compared with what the simulator reports on its control socket;
the door switch, writes with readback and offline/online transitions are
driven through that socket too."""
import json
import os
import socket
import tempfile
import unittest

from harness import (Lyktad, Mosquitto, Observer, Sim, minimal_config, modbus_config, modbus_device,
                     modbus_tcp_network, wait_until, write_config)

PREFIX = "lykta/mb-gw"


class SimControl:
    """The simulator's control socket: one command line, one reply line."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buffer = b""

    def __call__(self, command):
        self.sock.sendall(command.encode() + b"\n")
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise AssertionError("simulator closed its control socket")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        reply = line.decode()
        if not reply.startswith("ok"):
            raise AssertionError(f"simulator refused {command!r}: {reply}")
        return reply

    def values(self, unit):
        """{'voltage_l1': 230.1, ...} from 'ok unit 1 sdm630 voltage_l1=230.1 ...'."""
        return {k: float(v) for k, v in (w.split("=") for w in self(f"get {unit}").split()[4:])}

    def close(self):
        self.sock.close()


class ModbusGateway(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lykta-modbus-")
        cls.broker = Mosquitto()
        cls.sim = Sim("modbus", "--listen", "127.0.0.1:0", "--pty")
        tcp_port = int(cls.sim.read_line("listening ").rsplit(":", 1)[1])
        pty = cls.sim.read_line("pty ").split(" ", 1)[1]
        control_port = int(cls.sim.read_line("control ").rsplit(":", 1)[1])
        cls.control = SimControl(control_port)
        modbus = modbus_config(
            [modbus_tcp_network(tcp_port),
             {"id": "cab", "type": "rtu", "device": pty, "baud": 9600, "response_timeout_s": 0.3,
              "byte_timeout_s": 0.1}],
            [modbus_device("meter1", 1, "sdm630", poll_s=0.3),
             modbus_device("io1", 2, "relay-di-8", offline_after=2),
             modbus_device("meter2", 1, "sdm120", network="cab", poll_s=0.3)])
        config = write_config(cls.dir, minimal_config(cls.broker.port, os.path.join(cls.dir, "l.db"),
                                                      gateway_id="mb-gw", extra=modbus))
        cls.observer = Observer(cls.broker.port, topics=(f"{PREFIX}/#",))
        cls.lyktad = Lyktad(config)
        cls.observer.wait_for(f"{PREFIX}/status", lambda p: p.get("state") == "online")

    @classmethod
    def tearDownClass(cls):
        cls.lyktad.stop()
        cls.observer.close()
        cls.control.close()
        cls.sim.stop()
        cls.broker.stop()

    def state(self, meter, predicate, since=None, timeout=10):
        since = len(self.observer.snapshot()) if since is None else since
        return self.observer.wait_for(f"{PREFIX}/meter/{meter}/state",
                                      lambda p: isinstance(p, dict) and predicate(p), timeout, since)

    def test_meter_values_over_tcp_match_the_simulator(self):
        self.control("hold")
        try:
            sim = self.control.values(1)
            payload = self.state("meter1", lambda p: p["available"] and abs(
                p["values"]["voltage_l1"]["value"] - sim["voltage_l1"]) < 1e-3)
            values = payload["values"]
            for name in ("voltage_l1", "voltage_l2", "voltage_l3", "current_l1", "power_l1", "power_l3",
                         "total_power", "frequency", "import_energy"):
                self.assertAlmostEqual(values[name]["value"], sim[name], delta=abs(sim[name]) * 1e-5 + 1e-6, msg=name)
            self.assertEqual(values["voltage_l1"]["unit"], "V")
            self.assertEqual(values["total_power"]["unit"], "W")
            self.assertEqual(values["import_energy"]["unit"], "kWh")
            self.assertTrue(payload["ts"].endswith("Z"))
        finally:
            self.control("move")

    def test_energy_counter_increases_with_the_lighting_load(self):
        # The simulated lighting load (2.4 kW) runs while the contactor is on;
        # the 15 W standby alone moves a float32 kWh counter too slowly to see.
        answer = self.observer.request(PREFIX, "modbus/write", {"device": "io1", "value": "contactor", "set": True})
        self.assertEqual(answer["status"], "ok", answer)
        try:
            first = self.state("meter1", lambda p: p["values"]["total_power"]["value"] > 2000)
            start = first["values"]["import_energy"]["value"]
            self.state("meter1", lambda p: p["values"]["import_energy"]["value"] > start)
        finally:
            self.observer.request(PREFIX, "modbus/write", {"device": "io1", "value": "contactor", "set": False})

    def test_meter_values_over_rtu_on_a_pty_match_the_simulator(self):
        self.control("hold")
        try:
            sim = self.control.values(1)
            payload = self.state("meter2", lambda p: p["available"] and abs(
                p["values"]["voltage"]["value"] - sim["voltage_l1"]) < 1e-3)
            self.assertAlmostEqual(payload["values"]["power"]["value"], sim["power_l1"], delta=1e-3)
            self.assertAlmostEqual(payload["values"]["import_energy"]["value"], sim["import_energy"], delta=1e-2)
        finally:
            self.control("move")

    def test_door_switch_is_reflected(self):
        self.control("door open")
        self.state("io1", lambda p: p["values"]["door_open"]["value"] is True)
        self.control("door closed")
        self.state("io1", lambda p: p["values"]["door_open"]["value"] is False)

    def test_write_with_readback(self):
        for on in (True, False):
            answer = self.observer.request(PREFIX, "modbus/write", {"device": "io1", "value": "contactor", "set": on})
            self.assertEqual(answer["status"], "ok", answer)
            self.assertEqual(answer["data"]["read_back"], on)
            self.assertIn(f"contactor={int(on)}", self.control("get 2"))
            # The simulated auxiliary contact follows; the gateway sees it on the next poll.
            self.state("io1", lambda p: p["values"]["contactor_feedback"]["value"] is on)

    def test_write_errors(self):
        cases = [({"device": "nope", "value": "contactor", "set": True}, "unknown_meter", "device"),
                 ({"device": "io1", "value": "door_open", "set": True}, "bad_request", "value"),
                 ({"device": "io1", "value": "contactor"}, "bad_request", "set"),
                 ({"device": "io1", "value": "contactor", "set": 2}, "out_of_range", "set")]
        for args, code, field in cases:
            answer = self.observer.request(PREFIX, "modbus/write", args)
            self.assertEqual(answer["status"], "error", answer)
            self.assertEqual(answer["error"]["code"], code, answer)
            self.assertEqual(answer["error"]["field"], field, answer)

    def test_write_whose_readback_differs_is_a_bus_error(self):
        self.control("ignore-writes 2 on")  # the relay acknowledges but does not switch
        try:
            answer = self.observer.request(PREFIX, "modbus/write", {"device": "io1", "value": "relay_8", "set": True})
        finally:
            self.control("ignore-writes 2 off")
        self.assertEqual(answer["status"], "error", answer)
        self.assertEqual(answer["error"]["code"], "bus_error", answer)
        self.assertIn("read back 0", answer["error"]["message"])
        self.assertIn("relay_8", answer["error"]["message"])

    def test_device_offline_and_back(self):
        self.control("offline 2")
        try:
            self.state("io1", lambda p: p["available"] is False)
            answer = self.observer.request(PREFIX, "modbus/write", {"device": "io1", "value": "relay_2", "set": True})
            self.assertEqual(answer["error"]["code"], "timeout", answer)
        finally:
            self.control("online 2")
        self.state("io1", lambda p: p["available"] is True)
        # The meter on the same network kept answering throughout.
        self.state("meter1", lambda p: p["available"] is True)

    def test_slow_answers_count_as_failures_exceptions_do_not(self):
        self.control("slow 2 1000")  # later than the 0.3 s response timeout
        try:
            self.state("io1", lambda p: p["available"] is False)
        finally:
            self.control("slow 2 0")
        self.state("io1", lambda p: p["available"] is True)
        self.control("exception 2 4")
        try:
            since = len(self.observer.snapshot())
            # Many exception answers (0.2 s polls; full_publish_s 1 republishes the counters) ...
            self.state("io1", lambda p: p["counters"]["exceptions"] >= 5, since=since)
            # ... and the device never went unavailable meanwhile.
            states = [json.loads(m.payload) for m in self.observer.snapshot()[since:]
                      if m.topic == f"{PREFIX}/meter/io1/state"]
            self.assertTrue(all(p["available"] for p in states), states)
        finally:
            self.control("exception 2 0")
        self.assertTrue(self.lyktad.running())
        self.state("io1", lambda p: p["available"] is True)


if __name__ == "__main__":
    unittest.main()
