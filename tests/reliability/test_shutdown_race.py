"""SIGTERM while the MQTT connect is still pending, with the broker's CONNACK
arriving while lyktad tears its MQTT link down. Once (no luminaires, so the
daemon starts and stops in a few milliseconds) this died with SIGABRT: Paho
called the connect token's listener after that listener, a member of the link,
had been destroyed ("pure virtual method called"). By chance the window is a few
microseconds (about 1 in 700 stops with a random CONNACK delay); here it is
made certain: a broker that holds the CONNACK back until the daemon is inside
Paho's MQTTAsync_destroy, which an LD_PRELOAD shim (paho_destroy_delay.cpp)
announces and pauses. The daemon must exit 0 every time."""
import os
import signal
import socket
import tempfile
import threading
import unittest

import fixtures  # noqa: F401  (puts the integration harness on the path)
from harness import BIN, Lyktad, minimal_config, wait_until, write_config

SHIM = os.path.join(BIN, "libpaho_destroy_delay.so")
ROUNDS = 3


def connack(connect):
    """The CONNACK (session not present, accepted) for a CONNECT packet: MQTT 5
    adds an empty property list (its length byte), 3.1.1 has none."""
    at = 1
    while connect[at] & 0x80:  # the remaining length is a variable-length integer
        at += 1
    level = connect[at + 1 + 6]  # after the protocol name: 2 length bytes + "MQTT"
    return b"\x20\x03\x00\x00\x00" if level == 5 else b"\x20\x02\x00\x00"


class HeldBroker:
    """Just enough of an MQTT broker on a free loopback port: reads the CONNECT
    and answers CONNACK (accepted) only when release() is called."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connected = threading.Event()
        self.go = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.server.settimeout(20)
        try:
            client, _ = self.server.accept()
        except OSError:
            return
        with client:
            client.settimeout(20)
            try:
                connect = client.recv(4096)  # the CONNECT (a small packet: one read on loopback)
                self.connected.set()
                if self.go.wait(20):
                    client.sendall(connack(connect))
                while client.recv(4096):  # whatever follows, until lyktad closes the socket
                    pass
            except OSError:
                pass

    def release(self):
        self.go.set()

    def close(self):
        self.go.set()
        self.server.close()
        self.thread.join(5)


@unittest.skipUnless(os.path.exists(SHIM), f"{SHIM} not built (target paho_destroy_delay)")
class ShutdownRace(unittest.TestCase):
    def test_a_connack_during_teardown_after_sigterm_does_not_abort(self):
        # The shim precedes ASan's runtime; the caller's options (log_path) stay.
        asan = ":".join(o for o in (os.environ.get("ASAN_OPTIONS"), "verify_asan_link_order=0") if o)
        env = dict(os.environ, LD_PRELOAD=SHIM, LYKTA_DESTROY_DELAY_MS="300", ASAN_OPTIONS=asan)
        for n in range(ROUNDS):
            broker = HeldBroker()
            self.addCleanup(broker.close)
            directory = tempfile.mkdtemp(prefix="lykta-shutdown-race-")
            config = write_config(directory, minimal_config(broker.port, os.path.join(directory, "lykta.db")))
            daemon = Lyktad(config, env=env)
            self.addCleanup(daemon.stop)
            self.assertTrue(broker.connected.wait(15), f"round {n}: no CONNECT; {daemon.stderr()[-1500:]}")
            daemon.signal(signal.SIGTERM)
            wait_until(lambda: "paho_destroy_delay: MQTTAsync_destroy" in daemon.stderr(),
                       what=f"round {n}: lyktad to reach MQTTAsync_destroy; {daemon.stderr()[-1500:]}")
            self.assertIn("stopping (shutdown)", daemon.stderr())
            broker.release()  # the CONNACK lands inside the 300 ms pause
            rc = daemon.wait(15)
            log = daemon.stderr()
            self.assertNotIn("pure virtual", log)
            self.assertNotIn("terminate called", log)
            self.assertEqual(rc, 0, f"round {n}: exit {rc}; log: {log[-1500:]}")


if __name__ == "__main__":
    unittest.main()
