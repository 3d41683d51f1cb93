"""Black-box test of `lyktactl plan`: the real binary on config/example.yaml,
its output checked against values computed here independently (sun times from
astral, the NOAA equations in Python; local times with zoneinfo).

Run with Debian's /usr/bin/python3 (python3-astral from scripts/setup.sh).
"""
import datetime
import json
import os
import subprocess
import tempfile
import unittest
from zoneinfo import ZoneInfo

import astral

BIN = os.environ.get("LYKTA_BIN", os.path.join(os.path.dirname(__file__), "../../build/bin"))
SOURCE = os.environ.get("LYKTA_SOURCE", os.path.join(os.path.dirname(__file__), "../.."))
LYKTACTL = os.path.join(BIN, "lyktactl")
EXAMPLE = os.path.join(SOURCE, "config", "example.yaml")
ZONE = ZoneInfo("Europe/Stockholm")
LAT, LON = 56.4296, 12.8532  # site in config/example.yaml
FLOOR = 80  # profile trygg's floor in config/example.yaml


def plan(area, day, config=EXAMPLE, as_json=True):
    args = [LYKTACTL, "plan", "--area", area, "--date", day, "--config", config]
    if as_json:
        args.append("--json")
    return subprocess.run(args, capture_output=True, text=True, timeout=30)


def plan_json(testcase, area, day, config=EXAMPLE):
    result = plan(area, day, config)
    testcase.assertEqual(result.returncode, 0, result.stderr)
    return json.loads(result.stdout)


def ts(text):
    """An RFC 3339 timestamp with the local offset, as the MQTT API writes them."""
    parsed = datetime.datetime.fromisoformat(text)
    assert parsed.utcoffset() in (datetime.timedelta(hours=1), datetime.timedelta(hours=2)), text
    return parsed


def local(y, m, d, hh, mm):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=ZONE).astimezone(datetime.timezone.utc)


class PlanCommand(unittest.TestCase):
    def setUp(self):
        self.sun = astral.Astral()

    def assertClose(self, actual, expected, seconds=60):
        self.assertLessEqual(abs((actual - expected).total_seconds()), seconds, f"{actual} vs {expected}")

    def test_station_on_a_friday_runs_centrum_with_the_weekend_flag(self):
        p = plan_json(self, "stationen", "2025-11-28")
        self.assertEqual(p["profile"], "centrum")
        self.assertIsNone(p["rule"])
        steps = p["steps"]
        self.assertEqual([s["expr"] for s in steps], ["sunset-10m", "22:00", "00:30", "05:30", "sunrise+10m"])
        sunset = self.sun.sunset_utc(datetime.date(2025, 11, 28), LAT, LON)
        sunrise = self.sun.sunrise_utc(datetime.date(2025, 11, 29), LAT, LON)
        self.assertClose(ts(steps[0]["at"]), sunset - datetime.timedelta(minutes=10))
        self.assertEqual(ts(steps[1]["at"]), local(2025, 11, 28, 22, 0))
        self.assertEqual(ts(steps[2]["at"]), local(2025, 11, 29, 0, 30))
        self.assertEqual(ts(steps[3]["at"]), local(2025, 11, 29, 5, 30))
        self.assertClose(ts(steps[4]["at"]), sunrise + datetime.timedelta(minutes=10))
        self.assertEqual([s["level"] for s in steps], [100, 70, 40, 100, 0])

        self.assertEqual(len(p["flags"]), 1)
        flag = p["flags"][0]
        self.assertEqual(flag["id"], "stationen-helg")
        start, end = ts(flag["start"]), ts(flag["end"])
        self.assertEqual(start, local(2025, 11, 28, 20, 0))
        self.assertEqual(end, local(2025, 11, 29, 4, 0))

        timeline = p["timeline"]
        inside = [e for e in timeline if start <= ts(e["at"]) < end]
        self.assertTrue(inside)
        for e in inside:
            self.assertEqual(e["source"], "safety")
            self.assertGreaterEqual(e["level"], FLOOR)
        after = [e for e in timeline if ts(e["at"]) == end]
        self.assertEqual(len(after), 1)
        self.assertEqual(after[0]["source"], "default")
        self.assertEqual(after[0]["level"], 40)  # centrum between 00:30 and 05:30

    def test_station_on_a_thursday_has_no_flag(self):
        p = plan_json(self, "stationen", "2025-11-27")
        self.assertEqual(p["flags"], [])
        self.assertEqual({e["source"] for e in p["timeline"]}, {"default"})
        levels = [e["level"] for e in p["timeline"]]
        self.assertEqual(levels, [0, 100, 70, 40, 100, 0])

    def test_calendar_rules_pick_the_profile(self):
        friday = plan_json(self, "torget", "2025-11-28")
        self.assertEqual((friday["rule"], friday["profile"]), ("helgkvall", "trygg"))
        dusk = self.sun.dusk_utc(datetime.date(2025, 11, 28), LAT, LON, depression=6)
        dawn = self.sun.dawn_utc(datetime.date(2025, 11, 29), LAT, LON, depression=6)
        self.assertClose(ts(friday["steps"][0]["at"]), dusk)
        self.assertClose(ts(friday["steps"][1]["at"]), dawn)
        christmas_eve = plan_json(self, "villagatan", "2025-12-24")
        self.assertEqual((christmas_eve["rule"], christmas_eve["profile"]), ("helgdagar", "centrum"))
        monday = plan_json(self, "hamnpromenaden", "2025-11-24")
        self.assertEqual((monday["rule"], monday["profile"]), (None, "centrum"))

    def test_text_output_lists_local_times_and_sources(self):
        result = plan("stationen", "2025-11-28", as_json=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertIn("Profile: centrum (area default)", lines)
        self.assertTrue(any(l.split()[:3] == ["22:00", "70", "%"] for l in lines), result.stdout)
        self.assertTrue(any(l.split()[:1] == ["stationen-helg"] and "20:00-04:00" in l for l in lines),
                        result.stdout)

    def test_bad_arguments_are_refused_clearly(self):
        result = plan("nowhere", "2025-11-28")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no area 'nowhere'", result.stderr)
        self.assertIn("torget", result.stderr)
        result = plan("torget", "2025-13-01")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--date", result.stderr)

    def test_midnight_sun_in_kiruna_has_no_sunset_step(self):
        with open(EXAMPLE, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("latitude: 56.4296", "latitude: 67.85").replace("longitude: 12.8532", "longitude: 20.22")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "kiruna.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            p = plan_json(self, "hamnpromenaden", "2025-06-25", config=path)  # a Wednesday
        self.assertEqual(p["sun"]["sunset"], {"occurs": False, "sun": "always_above"})
        exprs = [s["expr"] for s in p["steps"]]
        self.assertNotIn("sunset-10m", exprs)
        self.assertEqual(exprs[-1], "sunrise+10m")
        self.assertEqual(p["steps"][-1]["time"], "05:30")  # taken over at the step before it
        self.assertEqual(p["steps"][-1]["level"], 0)


if __name__ == "__main__":
    unittest.main()
