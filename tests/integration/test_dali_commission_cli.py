"""`lyktactl dali commission` on the box: the running lyktad commissions
unaddressed gear in `lykta-sim dali` (over TCP) and lyktactl prints the report;
addresses absent from the bus and gear missing from the config are named."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import BIN, Lyktad, Mosquitto, Sim, wait_until, write_config
from harness import SimControl
from test_dali_gateway import dali_config


def lyktactl(config, *args):
    return subprocess.run([os.path.join(BIN, "lyktactl"), "--config", config, *args],
                          capture_output=True, text=True, timeout=120)


class CommissionFromTheCommandLine(unittest.TestCase):
    def test_commission_report_text_and_json(self):
        with tempfile.TemporaryDirectory(prefix="lykta-commission-") as d, Mosquitto() as broker, \
                Sim("dali", "--listen", "127.0.0.1:0", "--gear", "6", "--unaddressed", "--seed", "3",
                    "--control", "127.0.0.1:0") as sim, \
                Sim("dali", "--listen", "127.0.0.1:0", "--gear", "1") as other:
            port = int(sim.read_line("listening ").rsplit(":", 1)[1])
            control = SimControl(sim)
            self.addCleanup(control.close)
            other_port = int(other.read_line("listening ").rsplit(":", 1)[1])
            # 8 configured, 6 on the bus: addresses 6 and 7 stay absent.
            luminaires = '  - { id: "L-{n}", bus: bus1, addresses: 0..7, first: 0, area: torget }'
            config = write_config(d, dali_config(
                broker.port, os.path.join(d, "lykta.db"), f"foxtron://127.0.0.1:{port}",
                f"foxtron://127.0.0.1:{other_port}", bus1_luminaires=luminaires,
                bus2_luminaires='  - { id: V-1, bus: bus2, address: 0, area: villa }'))
            with Lyktad(config):
                wait_until(lambda: os.path.exists(os.path.join(d, "lyktad.sock")), what="the control socket")
                text = lyktactl(config, "dali", "commission", "--bus", "bus1")
                # absent gear make the report "problems": exit 1, but the report is printed
                self.assertIn("bus bus1:", text.stdout, text.stderr)
                self.assertIn("newly addressed: 6", text.stdout)
                self.assertIn("address 6 configured (L-6) but absent", text.stdout)
                self.assertIn("address 7 configured (L-7) but absent", text.stdout)
                addresses = sorted(int(a) for a in control("addresses?").split()[1:])
                self.assertEqual(addresses, list(range(6)))

                again = lyktactl(config, "dali", "commission", "--bus", "bus1", "--json")
                report = json.loads(again.stdout)
                self.assertEqual(report["found"], [])  # idempotent: nothing new to address
                self.assertEqual(sorted(a["address"] for a in report["absent"]), [6, 7])
                self.assertEqual(again.returncode, 0 if report["ok"] else 1)

                unknown = lyktactl(config, "dali", "commission", "--bus", "nope")
                self.assertEqual(unknown.returncode, 1)
                self.assertIn("bad_request", unknown.stderr)
                self.assertIn("(bus)", unknown.stderr)


if __name__ == "__main__":
    unittest.main()
