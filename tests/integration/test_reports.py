"""lyktactl faults / report verbs against the real lyktad, black-box.

lyktad sweeps `lykta-sim dali` (lamp failure injected on L-12) and polls
`lykta-sim modbus` (cabinet door open), so the faults and statistics the
verbs render are real. The test checks what lyktactl prints and that the HTML
it writes parses with real parsers (Python's html.parser and libxml2's xmllint).
"""
import datetime
import html.parser
import json
import os
import subprocess
import unittest

from harness import wait_until
from test_faults_gateway import Site


class TableParser(html.parser.HTMLParser):
    """Collects table rows (cell texts) by table id or data-area, and SVG circles."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self):
        super().__init__()
        self.tables, self.circles, self.stack, self.errors = {}, [], [], []
        self.table = self.row = self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "table":
            self.table = self.tables.setdefault(attrs.get("id") or attrs.get("data-area"), [])
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""
        elif tag == "circle":
            self.circles.append(attrs)

    def handle_startendtag(self, tag, attrs):
        if tag == "circle":
            self.circles.append(dict(attrs))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()
        if tag in ("td", "th") and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.table is not None:
            self.table.append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def parse_page(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    parser = TableParser()
    parser.feed(text)
    parser.close()
    xml = subprocess.run(["xmllint", "--noout", path], capture_output=True, text=True)
    return text, parser, xml


class ReportVerbs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.site = Site("reports-gw", gateway_name="Torget <north>")
        try:
            cls.site.dali_control("set-level 0 254")  # L-11 burns at 100 %
            cls.lamp = cls.site.raise_lamp_failure(1, "L-12")
            since = cls.site.mark()
            cls.site.modbus_control("door open")
            cls.door = cls.site.event("fault.raised", lambda e: e["fault"]["kind"] == "door_open", since)["fault"]
        except Exception:
            cls.site.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.site.close()

    def ctl(self, *args):
        return self.site.ctl(*args)

    def range(self):
        today = datetime.datetime.now(datetime.timezone.utc).date()
        first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        return first, today

    def test_faults_table(self):
        out = self.ctl("faults", "--area", "torget")
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(len(lines), 3, out.stdout)
        self.assertTrue(lines[0].startswith("SEVERITY"))
        self.assertEqual(lines[1].split()[:7],
                         ["major", self.lamp["id"], "L-12", "Storgatan", "4", "bus1/1", "lamp_failure"])
        self.assertTrue(lines[2].startswith("minor"))
        self.assertIn(self.door["id"], lines[2])

    def test_faults_all_json(self):
        out = self.ctl("faults", "--all", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        ids = [f["id"] for f in json.loads(out.stdout)]
        self.assertIn(self.lamp["id"], ids)
        self.assertIn(self.door["id"], ids)

    def test_ack(self):
        out = self.ctl("faults", "ack", self.door["id"], "--by", "Anna", "--note", "ladder")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(f"{self.door['id']} acknowledged", out.stdout)
        self.site.event("fault.acknowledged", lambda e: e["fault"]["id"] == self.door["id"] and e["by"] == "Anna")
        bad = self.ctl("faults", "ack", "F-99999", "--by", "Anna")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("unknown_fault", bad.stderr)
        self.assertIn("(fault)", bad.stderr)

    def test_maintenance_page(self):
        path = os.path.join(self.site.dir, "maintenance.html")
        out = self.ctl("report", "maintenance", "--out", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        text, page, xml = parse_page(path)
        self.assertEqual(page.errors, [])
        self.assertEqual(page.stack, [])
        self.assertEqual(xml.returncode, 0, xml.stderr)
        html_mode = subprocess.run(["xmllint", "--html", "--noout", path], capture_output=True, text=True)
        self.assertEqual(html_mode.returncode, 0, html_mode.stderr)
        rows = page.tables["faults"][1:]
        self.assertEqual([r[0] for r in rows], ["major", "minor"])
        self.assertEqual(rows[0][2:6], ["L-12", "Storgatan 4", "bus1/1", "lamp_failure"])
        self.assertEqual(page.tables["areas"][1][4], "50.0 %")
        states = {c["data-id"]: c["data-state"] for c in page.circles if c.get("class") == "lum"}
        self.assertEqual(states, {"L-11": "ok", "L-12": "major"})
        self.assertIn("Torget &lt;north&gt;", text)
        self.assertNotIn("src=", text)

    def test_report_get_over_mqtt(self):
        first, today = self.range()
        args = {"from": first.isoformat(), "to": today.isoformat()}

        def burning():
            answer = self.site.observer.request(self.site.prefix, "report/get", args)
            self.assertEqual(answer["status"], "ok", answer)
            # Figures are rounded: L-11 (40 W) shows burn hours after a few seconds of sweeps.
            return answer["data"] if answer["data"]["areas"][0]["total"]["burn_hours"] > 0 else None

        data = wait_until(burning, 20, interval=0.5, what="burn hours of L-11 in report/get")
        self.assertEqual(data["gateway"], {"id": "reports-gw", "name": "Torget <north>"})
        self.assertEqual(data["timezone"], "Europe/Stockholm")
        [area] = data["areas"]
        self.assertEqual(area["area"], "torget")
        self.assertEqual(len(area["series"]), (today - first).days + 1)
        recorded = [p for p in area["series"] if p["recorded"]]
        self.assertTrue(recorded)
        total = area["total"]
        self.assertEqual(total["energy_source"], "estimated")  # from the read-back: no meter energy
        self.assertGreaterEqual(total["faults_raised"], 2)

    def test_stats_csv_json_html(self):
        first, today = self.range()
        span = ["--from", first.isoformat(), "--to", today.isoformat()]
        months = [first.strftime("%Y-%m"), today.strftime("%Y-%m")]
        out = self.ctl("report", "stats", *span, "--area", "torget", "--granularity", "month")
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = out.stdout.splitlines()
        self.assertEqual(len(rows), 3, out.stdout)
        self.assertTrue(rows[0].startswith("area,period,lit_hours"))
        self.assertEqual([r.split(",")[1] for r in rows[1:]], months)
        self.assertEqual(rows[2].split(",")[7], "estimated")

        out = self.ctl("report", "stats", *span, "--granularity", "month", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        total = json.loads(out.stdout)["areas"][0]["total"]
        self.assertEqual(total["energy_source"], "estimated")
        self.assertGreaterEqual(total["faults_raised"], 2)

        path = os.path.join(self.site.dir, "stats.html")
        out = self.ctl("report", "stats", *span, "--granularity", "month", "--html", "--out", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        text, page, xml = parse_page(path)
        self.assertEqual(page.errors, [])
        self.assertEqual(xml.returncode, 0, xml.stderr)
        self.assertEqual([r[0] for r in page.tables["torget"][1:]], months + ["total"])
        self.assertIn('data-figure="energy_kwh"', text)

    def test_usage_errors(self):
        out = self.ctl("report", "stats", "--from", "2026-09-01", "--to", "2026-11-30", "--csv", "--html")
        self.assertNotEqual(out.returncode, 0)
        out = self.ctl("report", "stats", "--from", "2026-09-01", "--to", "2026-11-30", "--granularity", "week")
        self.assertNotEqual(out.returncode, 0)
        self.assertTrue(self.site.lyktad.running())


if __name__ == "__main__":
    unittest.main()
