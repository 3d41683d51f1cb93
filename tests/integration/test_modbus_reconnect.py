"""Modbus links that go away and come back: the simulator behind a TCP
network is stopped and restarted on the same port, and the simulator behind
an RTU network (a pty reached through a stable symlink, as a USB adapter is
through /dev/serial/by-id) is killed and replaced - an unplugged and
replugged adapter. lyktad must report the devices unavailable, reopen the
links with backoff, and report them available again, without restarting."""
import os
import tempfile
import unittest

from harness import SOURCE, Lyktad, Mosquitto, Observer, Sim, minimal_config, write_config

PREFIX = "lykta/mb-rc"


def start_sim(*args):
    sim = Sim("modbus", *args)
    first = sim.read_line("")
    return sim, first


class ModbusReconnect(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-modbus-rc-")
        self.broker = Mosquitto()
        self.tcp_sim, line = start_sim("--listen", "127.0.0.1:0")
        self.tcp_port = int(line.rsplit(":", 1)[1])
        self.rtu_sim, line = start_sim("--pty")
        self.tty = os.path.join(self.dir, "ttyRS485")  # the stable name, like /dev/serial/by-id/...
        os.symlink(line.split(" ", 1)[1], self.tty)
        modbus = f"""modbus:
  template_dirs: [{os.path.join(SOURCE, "config/templates")}]
  networks:
    - {{ id: lan, type: tcp, host: 127.0.0.1, port: {self.tcp_port}, response_timeout_s: 0.3 }}
    - {{ id: cab, type: rtu, device: {self.tty}, baud: 9600, response_timeout_s: 0.3 }}
  devices:
    - {{ id: io-lan, network: lan, unit: 2, template: relay-di-8, poll_s: 0.2, full_publish_s: 1, offline_after: 2 }}
    - {{ id: io-cab, network: cab, unit: 2, template: relay-di-8, poll_s: 0.2, full_publish_s: 1, offline_after: 2 }}
"""
        config = write_config(self.dir, minimal_config(self.broker.port, os.path.join(self.dir, "l.db"),
                                                       gateway_id="mb-rc", extra=modbus))
        self.observer = Observer(self.broker.port, topics=(f"{PREFIX}/#",))
        self.lyktad = Lyktad(config)
        for device in ("io-lan", "io-cab"):
            self.available(device, True)

    def tearDown(self):
        self.lyktad.stop()
        self.observer.close()
        self.tcp_sim.stop()
        self.rtu_sim.stop()
        self.broker.stop()

    def available(self, device, value, since=0, timeout=15):
        return self.observer.wait_for(f"{PREFIX}/meter/{device}/state",
                                      lambda p: isinstance(p, dict) and p.get("available") is value,
                                      timeout, since)

    def test_tcp_server_restart(self):
        since = len(self.observer.snapshot())
        self.tcp_sim.kill()
        self.available("io-lan", False, since)
        since = len(self.observer.snapshot())
        self.tcp_sim, _ = start_sim("--listen", f"127.0.0.1:{self.tcp_port}")
        self.available("io-lan", True, since)
        self.assertTrue(self.lyktad.running())

    def test_rtu_adapter_unplugged_and_replugged(self):
        since = len(self.observer.snapshot())
        self.rtu_sim.kill()  # the pty master closes: reads on the port fail
        self.available("io-cab", False, since)
        self.rtu_sim, line = start_sim("--pty")
        os.unlink(self.tty)
        os.symlink(line.split(" ", 1)[1], self.tty)
        since = len(self.observer.snapshot())
        self.available("io-cab", True, since)
        # The TCP network was never disturbed.
        self.available("io-lan", True, since)
        self.assertTrue(self.lyktad.running())


if __name__ == "__main__":
    unittest.main()
