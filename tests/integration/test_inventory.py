"""Asset inventory end to end: lyktad reads memory banks 0/1 of every gear in
`lykta-sim dali` (over TCP) at start, keeps them in its store with the
configured pole location, answers inventory/get over MQTT, detects a gear the
simulator swapped (inventory.mismatch event, updated record, first identity
kept across a restart) and prints the inventory through lyktactl as JSON, CSV
and a table."""
import csv
import io
import json
import os
import subprocess
import tempfile
import unittest

from harness import BIN, Lyktad, Mosquitto, Observer, Sim, SimControl, minimal_config, wait_until, write_config

PREFIX = "lykta/test-gw"
GEAR = 4


def inventory_config(broker_port, store, interface):
    luminaires = "\n".join(
        f'  - {{ id: L-{a + 1}, bus: bus1, address: {a}, area: torget, '
        f'location: {{ lat: 56.43{a}, lon: 12.85{a}, street: "Storgatan {a + 1}, Halmstad" }} }}'
        for a in range(GEAR))
    return minimal_config(broker_port, store, extra=f"""
dali:
  buses:
    - {{ id: bus1, interface: "{interface}", sweep_s: 0.3 }}
luminaires:
{luminaires}
  - {{ id: L-9, bus: bus1, address: 9, area: villa }}
areas:
  - {{ id: torget, profile: centrum }}
  - {{ id: villa, profile: centrum }}
profiles:
  centrum:
    - {{ at: "sunset", level: 100 }}
    - {{ at: "sunrise", level: 0 }}
""")


def gs1_valid(gtin):
    """GS1 check digit: weights 3,1,3,... from the right, excluding the check digit."""
    digits = [int(c) for c in gtin]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def lyktactl(config, *args):
    return subprocess.run([os.path.join(BIN, "lyktactl"), "--config", config, *args],
                          capture_output=True, text=True, timeout=60)


class InventoryTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="lykta-inventory-")
        self.addCleanup(self.dir.cleanup)
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", str(GEAR), "--seed", "7",
                       "--control", "127.0.0.1:0")
        self.addCleanup(self.sim.stop)
        port = int(self.sim.read_line("listening ").rsplit(":", 1)[1])
        self.control = SimControl(self.sim)
        self.addCleanup(self.control.close)
        self.observer = Observer(self.broker.port)
        self.addCleanup(self.observer.close)
        self.config = write_config(self.dir.name, inventory_config(
            self.broker.port, os.path.join(self.dir.name, "lykta.db"), f"foxtron://127.0.0.1:{port}"))

    def start_lyktad(self):
        since = len(self.observer.snapshot())
        daemon = Lyktad(self.config)
        self.addCleanup(daemon.stop)
        self.observer.wait_for(f"{PREFIX}/status", lambda p: p and p.get("state") == "online", since=since)
        return daemon

    def sim_identity(self, address):
        _, _, gtin, serial, bank1 = self.control(f"identity? {address}").split()
        return {"gtin": gtin.zfill(13), "identification": serial, "bank1": bank1 == "bank1"}

    def inventory(self, **args):
        response = self.observer.request(PREFIX, "inventory/get", args)
        self.assertEqual(response["status"], "ok", response)
        data = response["data"]
        self.assertIsNone(data["next_offset"])  # a few luminaires fit in one answer
        self.assertEqual(data["total"], len(data["inventory"]))
        return {e["luminaire"]: e for e in data["inventory"]}

    def wait_all_read(self):
        """The start-up read is done when every luminaire on the bus has an identity."""
        def read():
            records = self.inventory()
            return records if all(records[f"L-{a + 1}"]["read_at"] for a in range(GEAR)) else None
        return wait_until(read, what="the start-up inventory read")

    def test_startup_read_swap_and_lyktactl(self):
        expected = {f"L-{a + 1}": self.sim_identity(a) for a in range(GEAR)}
        self.assertEqual(len({e["identification"] for e in expected.values()}), GEAR)  # one serial each
        daemon = self.start_lyktad()
        records = self.wait_all_read()
        for a in range(GEAR):
            lum = f"L-{a + 1}"
            r = records[lum]
            self.assertEqual(r["gtin"], expected[lum]["gtin"], lum)
            self.assertTrue(gs1_valid(r["gtin"]), r["gtin"])  # the sim's GTINs look like real ones
            self.assertEqual(r["identification"], expected[lum]["identification"], lum)
            self.assertEqual((r["bus"], r["address"], r["area"]), ("bus1", a, "torget"))
            self.assertEqual(r["location"]["street"], f"Storgatan {a + 1}, Halmstad")
            self.assertAlmostEqual(r["location"]["lat"], float(f"56.43{a}"))
            self.assertEqual(r["first"]["identification"], expected[lum]["identification"])
            self.assertRegex(r["firmware"], r"^\d+\.\d+$")
            self.assertEqual(r["swaps"], 0)
            self.assertIsNone(r["problem"])
            # Bank 1 where the gear has it; a gear without it is not an error.
            self.assertEqual(r["luminaire_data"] is not None, expected[lum]["bank1"], lum)
        self.assertFalse(all(e["bank1"] for e in expected.values()))  # the sim has one without bank 1
        self.assertTrue(records["L-1"]["luminaire_data"]["gtin"])
        self.assertIsNone(records["L-9"]["read_at"])  # configured, no gear there: never read
        self.assertEqual(list(self.inventory(area="villa")), ["L-9"])
        self.assertEqual(list(self.inventory(luminaire="L-2")), ["L-2"])
        bad = self.observer.request(PREFIX, "inventory/get", {"luminaire": "L-77"})
        self.assertEqual(bad["error"]["code"], "unknown_luminaire")

        # The crew swaps L-3's driver for another product; an operator asks for a read of the bus.
        since = len(self.observer.snapshot())
        self.control("swap 2 8718699002022")
        new = self.sim_identity(2)
        self.assertNotEqual(new["identification"], expected["L-3"]["identification"])
        read = self.observer.request(PREFIX, "inventory/read", {"bus": "bus1"}, timeout=30)
        self.assertEqual(read["status"], "ok", read)
        results = {r["luminaire"]: r for r in read["data"]["results"]}
        self.assertEqual(results["L-3"]["result"], "mismatch")
        self.assertEqual(results["L-1"]["result"], "same")
        self.assertEqual(results["L-9"]["result"], "unreadable")
        self.assertEqual(read["data"]["mismatches"], 1)
        event = self.observer.wait_for(f"{PREFIX}/event",
                                       lambda e: e and e.get("type") == "inventory.mismatch", since=since)
        self.assertEqual(event["luminaire"], "L-3")
        self.assertEqual((event["bus"], event["address"]), ("bus1", 2))
        self.assertEqual(event["old"]["identification"], expected["L-3"]["identification"])
        self.assertEqual(event["new"]["identification"], new["identification"])
        self.assertEqual(event["new"]["gtin"], "8718699002022")
        self.assertEqual(event["location"]["street"], "Storgatan 3, Halmstad")
        self.assertTrue(any(d.startswith("gtin ") for d in event["differences"]))
        r = self.inventory(luminaire="L-3")["L-3"]
        self.assertEqual(r["identification"], new["identification"])
        self.assertEqual(r["first"]["identification"], expected["L-3"]["identification"])
        self.assertEqual(r["swaps"], 1)
        self.assertIsNotNone(r["changed_at"])

        # lyktactl through the control socket: JSON, CSV, table.
        as_json = lyktactl(self.config, "inventory", "--json")
        self.assertEqual(as_json.returncode, 0, as_json.stderr)
        listed = {e["luminaire"]: e for e in json.loads(as_json.stdout)}
        self.assertEqual(set(listed), {f"L-{a + 1}" for a in range(GEAR)} | {"L-9"})
        self.assertEqual(listed["L-3"]["identification"], new["identification"])
        self.assertEqual(listed["L-2"]["gtin"], expected["L-2"]["gtin"])
        as_csv = lyktactl(self.config, "inventory", "--csv", "--area", "torget")
        self.assertEqual(as_csv.returncode, 0, as_csv.stderr)
        rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
        self.assertEqual([row["luminaire"] for row in rows], [f"L-{a + 1}" for a in range(GEAR)])
        row3 = rows[2]
        self.assertEqual(row3["identification"], new["identification"])
        self.assertEqual(row3["first_identification"], expected["L-3"]["identification"])
        self.assertEqual(row3["street"], "Storgatan 3, Halmstad")  # quoted: it has a comma
        self.assertEqual(row3["swaps"], "1")
        self.assertEqual(row3["address"], "2")
        self.assertEqual(rows[0]["gtin"], expected["L-1"]["gtin"])
        table = lyktactl(self.config, "inventory", "--luminaire", "L-3")
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertTrue(table.stdout.startswith("LUMINAIRE"), table.stdout)
        self.assertIn(new["identification"], table.stdout)
        fresh = lyktactl(self.config, "inventory", "--read", "--luminaire", "L-1", "--json")
        self.assertEqual(fresh.returncode, 0, fresh.stderr)
        self.assertIn("read 1 gear: 0 swapped, 0 unreadable", fresh.stderr)
        self.assertEqual([e["luminaire"] for e in json.loads(fresh.stdout)], ["L-1"])
        unknown = lyktactl(self.config, "inventory", "--area", "nowhere")
        self.assertEqual(unknown.returncode, 1)
        self.assertIn("unknown_area", unknown.stderr)

        # After a restart the start-up read finds the recorded gear: no new event, history kept.
        # (Its read_at may fall in the same second as the last one: the daemon's log tells it is done.)
        daemon.stop()
        since = len(self.observer.snapshot())
        with self.start_lyktad() as again:
            wait_until(lambda: f"DALI bus bus1: inventory of {GEAR} gear read: 0 recorded for the first time, "
                       "0 swapped" in again.stderr(), what="the start-up read after the restart")
            r3 = self.inventory(luminaire="L-3")["L-3"]
            self.assertEqual(r3["swaps"], 1)
            self.assertEqual(r3["identification"], new["identification"])
            self.assertEqual(r3["first"]["identification"], expected["L-3"]["identification"])
            read = self.observer.request(PREFIX, "inventory/read", {"luminaire": "L-3"})
            self.assertEqual(read["data"]["results"][0]["result"], "same")
            self.assertFalse([m for m in self.observer.snapshot()[since:]
                              if m.topic == f"{PREFIX}/event" and b"inventory.mismatch" in m.payload])

if __name__ == "__main__":
    unittest.main()
