"""Faults and statistics do not need the uplink: with the broker gone, the real
lyktad keeps sweeping `lykta-sim dali`, raises a lamp failure and keeps
counting lit hours, all visible through lyktactl on the control socket. When
the broker is back, the fault's event arrives from the outbox (historical) and
P/alarms lists it, for a platform session that was away all along."""
import datetime
import json
import unittest

from harness import Observer, wait_until
from test_faults_gateway import Site, active


class UplinkOutage(unittest.TestCase):
    def setUp(self):
        self.site = Site("outage-gw", persistent_broker=True)
        self.addCleanup(self.site.close)
        # The platform: a persistent session the broker keeps while it is away.
        self.platform = Observer(self.site.broker.port, (f"{self.site.prefix}/event", f"{self.site.prefix}/alarms"),
                                 client_id="platform-uplink-outage", clean_session=False)
        self.addCleanup(self.platform.close)

    def ctl_json(self, *args):
        out = self.site.ctl(*args)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def burn_hours(self):
        today = datetime.date.today()
        span = [(today + datetime.timedelta(days=d)).isoformat() for d in (-1, 1)]
        report = self.ctl_json("report", "stats", "--from", span[0], "--to", span[1], "--json")
        return sum(a["total"]["burn_hours"] or 0 for a in report["areas"])

    def test_faults_and_statistics_through_an_outage(self):
        site = self.site
        self.platform.wait_for(f"{site.prefix}/alarms", lambda p: isinstance(p, dict) and "active" in p)
        before = wait_until(self.burn_hours, 20, interval=0.5, what="the first burn hours")

        site.broker.stop()
        site.dali_control("lamp-failure 1 on")

        def lamp_fault():
            faults = self.ctl_json("faults", "--json")
            return next((f for f in faults if f["target"] == "luminaire/L-12" and f["kind"] == "lamp_failure"), None)
        fault = wait_until(lamp_fault, 20, interval=0.3, what="the lamp failure in lyktactl while offline")
        self.assertEqual(fault["severity"], "major")
        # L-11 still burns: the statistics keep counting with the uplink down.
        wait_until(lambda: self.burn_hours() > before, 20, interval=0.5, what="burn hours growing offline")

        site.broker.start_again()
        event = self.platform.wait_for(f"{site.prefix}/event", lambda e: isinstance(e, dict)
                                       and e.get("type") == "fault.raised" and e["fault"]["id"] == fault["id"], 30)
        self.assertIs(event.get("historical"), True, event)
        self.assertEqual(event["fault"]["target"], "luminaire/L-12")
        self.platform.wait_for(f"{site.prefix}/alarms",
                               lambda p: isinstance(p, dict) and fault["id"] in active(p), 30)
        self.assertTrue(site.lyktad.running())


if __name__ == "__main__":
    unittest.main()
