"""Faults judged from metered power, black-box: the real lyktad polls the SDM630
of `lykta-sim modbus` (2.4 kW of simulated lighting load while the contactor is
on, frozen with `hold` so later contactor changes do not matter) and compares it
with what the DALI read-back says should burn (two 40 W luminaires). Far more
than expected is an `energy_anomaly` on the meter; power while the policy wants
every luminaire off (an MQTT area override to 0) is a `day_burner` on the meter."""
import unittest

from test_faults_gateway import Site, active


class MeterFaults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.site = Site("meter-faults-gw", meter=True)
        try:
            site = cls.site
            answer = site.observer.request(site.prefix, "modbus/write",
                                           {"device": "io1", "value": "contactor", "set": True})
            assert answer["status"] == "ok", answer
            site.observer.wait_for(f"{site.prefix}/meter/m1/state", lambda p: isinstance(p, dict)
                                   and p.get("values", {}).get("total_power", {}).get("value", 0) > 2000)
            site.modbus_control("hold")
        except Exception:
            cls.site.close()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.site.modbus_control("move")
        finally:
            cls.site.close()

    def raised_on_meter(self, kind, since):
        return self.site.event("fault.raised", lambda e: e["fault"]["kind"] == kind
                               and e["fault"]["target"] == "meter/m1", since, timeout=30)["fault"]

    def test_energy_anomaly_then_day_burner_on_the_meter(self):
        site = self.site
        # Target 100 % everywhere: 80 W expected, 2.4 kW metered.
        anomaly = self.raised_on_meter("energy_anomaly", 0)
        self.assertEqual(anomaly["area"], "torget")
        self.assertEqual(anomaly["severity"], "minor")
        self.assertIn("80 W expected", anomaly["detail"])
        site.alarms(lambda p: anomaly["id"] in active(p))

        # The policy wants everything off, the read-back agrees, the meter does not.
        since = site.mark()
        answer = site.observer.request(site.prefix, "area/set",
                                       {"area": "torget", "level": 0, "fade_s": 0, "duration_s": 600})
        self.assertEqual(answer["status"], "ok", answer)
        self.addCleanup(site.observer.request, site.prefix, "override/clear", {"area": "torget"})
        burner = self.raised_on_meter("day_burner", since)
        self.assertEqual(burner["area"], "torget")
        self.assertIn("while every luminaire should be off", burner["detail"])
        # Nothing should burn now, so the anomaly's comparison is no longer the question.
        site.event("fault.cleared", lambda e: e["fault"]["id"] == anomaly["id"], since, timeout=30)
        listed = site.observer.request(site.prefix, "faults/list", {"area": "torget"})["data"]["faults"]
        self.assertEqual([f["target"] for f in listed if f["kind"] == "day_burner"], ["meter/m1"])


if __name__ == "__main__":
    unittest.main()
