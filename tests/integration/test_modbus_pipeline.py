"""Pipelined Modbus TCP (network `pipeline: N`): the real lyktad keeps several
requests outstanding on one connection to `lykta-sim modbus` (libmodbus) and
to an independent server (Debian's python3-pymodbus), and matches answers by
transaction id. Values must equal what the servers hold, writes are read
back, and a unit that stops answering in the middle of a pipelined batch
takes down only itself."""
import os
import subprocess
import tempfile
import unittest

from harness import (SOURCE, Lyktad, Mosquitto, Observer, Process, Sim, SimControl, minimal_config, modbus_config,
                     modbus_device, modbus_tcp_network, write_config)

PREFIX = "lykta/mb-pl"


class PymodbusServer(Process):
    """bench/pymodbus_server.py: SDM630-like float32 input registers at unit 1."""

    def __init__(self):
        super().__init__(["/usr/bin/python3", os.path.join(SOURCE, "bench/pymodbus_server.py")])
        self.port = int(self.read_line("listening ").rsplit(":", 1)[1])


class ModbusPipeline(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lykta-modbus-pl-")
        cls.broker = Mosquitto()
        cls.sim = Sim("modbus", "--listen", "127.0.0.1:0")
        sim_port = int(cls.sim.read_line("listening ").rsplit(":", 1)[1])
        cls.control = SimControl(cls.sim)
        cls.py = PymodbusServer()
        # Every device polled at the same rate: their polls fall due together
        # and go out as one pipelined batch.
        modbus = modbus_config(
            [modbus_tcp_network(sim_port, id="sim", pipeline=4),
             modbus_tcp_network(cls.py.port, id="py", response_timeout_s=0.5, pipeline=4)],
            [modbus_device("meter", 1, "sdm630", network="sim"),
             modbus_device("io", 2, "relay-di-8", network="sim", offline_after=2),
             modbus_device("lux", 3, "lux-sensor", network="sim", offline_after=2)]
            + [modbus_device(f"py{i}", 1, "sdm630", network="py") for i in range(6)])
        config = write_config(cls.dir, minimal_config(cls.broker.port, os.path.join(cls.dir, "l.db"),
                                                      gateway_id="mb-pl", extra=modbus))
        cls.observer = Observer(cls.broker.port, topics=(f"{PREFIX}/#",))
        cls.lyktad = Lyktad(config)
        cls.observer.wait_for(f"{PREFIX}/status", lambda p: p.get("state") == "online")

    @classmethod
    def tearDownClass(cls):
        cls.lyktad.stop()
        cls.observer.close()
        cls.control.close()
        cls.py.stop()
        cls.sim.stop()
        cls.broker.stop()

    def state(self, meter, predicate, since=0, timeout=10):
        return self.observer.wait_for(f"{PREFIX}/meter/{meter}/state",
                                      lambda p: isinstance(p, dict) and predicate(p), timeout, since)

    def test_values_from_pymodbus_match_its_registers(self):
        # pymodbus_server.py: 230.1/229.8/231.0 V, 2400 W total, 50 Hz, 1234.5 kWh import.
        for i in range(6):
            payload = self.state(f"py{i}", lambda p: p["available"] and "total_power" in p["values"])
            values = {k: v["value"] for k, v in payload["values"].items()}
            self.assertAlmostEqual(values["voltage_l1"], 230.1, places=3)
            self.assertAlmostEqual(values["voltage_l3"], 231.0, places=3)
            self.assertEqual(values["total_power"], 2400.0)
            self.assertEqual(values["frequency"], 50.0)
            self.assertEqual(values["import_energy"], 1234.5)

    def test_values_from_lykta_sim_match_the_simulator(self):
        self.control("hold")
        try:
            sim = {k: float(v) for k, v in (w.split("=") for w in self.control("get 1").split()[4:])}
            payload = self.state("meter", lambda p: p["available"] and abs(
                p["values"]["voltage_l1"]["value"] - sim["voltage_l1"]) < 0.01)
            self.assertAlmostEqual(payload["values"]["voltage_l2"]["value"], sim["voltage_l2"], places=1)
            self.control("lux 1234")
            self.state("lux", lambda p: p["available"] and p["values"]["lux"]["value"] == 1234)
        finally:
            self.control("move")

    def test_write_is_read_back_on_a_pipelined_network(self):
        for on in (True, False):
            answer = self.observer.request(PREFIX, "modbus/write", {"device": "io", "value": "contactor", "set": on})
            self.assertEqual(answer["status"], "ok", answer)
            self.assertEqual(answer["data"]["read_back"], on)
            self.assertIn(f"contactor={int(on)}", self.control("get 2"))

    def test_a_silent_unit_in_the_batch_takes_down_only_itself(self):
        self.state("lux", lambda p: p["available"])
        since = len(self.observer.snapshot())
        self.control("offline 3")
        try:
            self.state("lux", lambda p: p["available"] is False, since)
            # The others in the same batches keep answering and stay available.
            later = len(self.observer.snapshot())
            self.state("meter", lambda p: p["available"], later)
            self.state("io", lambda p: p["available"], later)
        finally:
            self.control("online 3")
        self.state("lux", lambda p: p["available"], since)


if __name__ == "__main__":
    unittest.main()
