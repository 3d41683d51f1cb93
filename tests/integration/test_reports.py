"""lyktactl faults / report verbs, black-box.

Until the integrator registers faults/list, faults/ack, faults/report and
report/get in lyktad, a small stand-in daemon answers on a real Unix control
socket (same one-line JSON protocol as gateway/control) with answers shaped
like the real handlers' (see docs/faults.md and docs/statistics.md). The test
checks what lyktactl sends, what it prints, and that the HTML it writes parses
with real parsers (Python's html.parser and libxml2's xmllint).
"""
import html.parser
import json
import os
import socket
import subprocess
import tempfile
import threading
import unittest

from harness import BIN

FAULTS = [
    {"id": "F-3", "kind": "door_open", "severity": "minor", "target": "cabinet/io1", "area": "torget",
     "since": "2026-11-24T17:00:00Z", "acknowledged": False, "detail": "cabinet door open", "cleared": None},
    {"id": "F-7", "kind": "lamp_failure", "severity": "critical", "target": "luminaire/L-12", "area": "torget",
     "since": "2026-11-24T18:05:00Z", "acknowledged": True, "acknowledged_by": "Anna", "note": "ladder",
     "acknowledged_at": "2026-11-24T19:00:00Z", "detail": "gear reports lamp failure", "cleared": None,
     "bus": "bus1", "address": 12, "location": {"street": "Storgatan 4", "lat": 59.3, "lon": 18.0}},
]

MAINTENANCE = {
    "gateway": {"id": "gw1", "name": "Torget <north>"},
    "faults": FAULTS,
    "luminaires": [
        {"id": "L-11", "area": "torget", "bus": "bus1", "address": 11, "street": "Storgatan 2",
         "lat": 59.3001, "lon": 18.0001, "located": True, "state": "ok", "dark": False},
        {"id": "L-12", "area": "torget", "bus": "bus1", "address": 12, "street": "Storgatan 4",
         "lat": 59.3002, "lon": 18.0003, "located": True, "state": "critical", "dark": True},
    ],
    "areas": [{"id": "torget", "name": "Torget", "luminaires": 2, "dark": 1, "availability_pct": 50.0,
               "safety": True}],
    "ts": "2026-11-24T20:00:00Z",
}


def period(label, kwh, recorded=True):
    return {"period": label, "recorded": recorded, "lit_hours": 14.0, "safety_hours": 2.0, "flagged_hours": 2.0, "burn_hours": 28.0,
            "energy_kwh": kwh, "energy_source": "estimated" if recorded else None, "estimated_kwh": kwh,
            "metered_kwh": None, "safety_extra_kwh": 0.2, "availability_flagged_pct": 97.5, "faults_raised": 1,
            "repairs": 1, "mttr_hours": 8.0}


REPORT = {"from": "2026-09-01", "to": "2026-11-30", "granularity": "month", "timezone": "Europe/Stockholm",
          "gateway": {"id": "gw1", "name": "gw1"},
          "areas": [{"area": "torget", "series": [period("2026-09", 0, False), period("2026-10", 40.5),
                                                  period("2026-11", 52.25)],
                     "total": period("total", 92.75)}]}


class StandInDaemon:
    """Answers control-socket requests from a table; records what it got."""

    def __init__(self, path, answers):
        self.path, self.answers, self.requests = path, answers, []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(4)
        self.server.settimeout(0.2)
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping:
            try:
                conn, _ = self.server.accept()
            except socket.timeout:
                continue
            with conn:
                conn.settimeout(5)
                data = b""
                while not data.endswith(b"\n"):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                request = json.loads(data)
                self.requests.append(request)
                answer = self.answers(request)
                conn.sendall((json.dumps(answer) + "\n").encode())

    def close(self):
        self.stopping = True
        self.thread.join(timeout=5)
        self.server.close()


def answer(request):
    command = request["command"]
    if command == "faults/list":
        faults = [f for f in FAULTS if request.get("area") in (None, f["area"])]
        return {"status": "ok", "data": {"faults": faults, "ts": "2026-11-24T20:00:00Z"}}
    if command == "faults/ack":
        if request["fault"] != "F-7":
            return {"status": "error", "error": {"code": "unknown_fault", "message": "no fault 'F-99'",
                                                 "field": "fault"}}
        return {"status": "ok", "data": {"fault": FAULTS[1], "already_acknowledged": False}}
    if command == "faults/report":
        return {"status": "ok", "data": MAINTENANCE}
    if command == "report/get":
        return {"status": "ok", "data": REPORT}
    return {"status": "error", "error": {"code": "unknown_command", "message": command}}


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
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.socket = os.path.join(self.dir.name, "lyktad.sock")
        self.daemon = StandInDaemon(self.socket, answer)

    def tearDown(self):
        self.daemon.close()
        self.dir.cleanup()

    def ctl(self, *args):
        return subprocess.run([os.path.join(BIN, "lyktactl"), "--socket", self.socket, *args],
                              capture_output=True, text=True, timeout=30)

    def test_faults_table(self):
        out = self.ctl("faults", "--area", "torget")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.daemon.requests[-1], {"command": "faults/list", "area": "torget", "active_only": True})
        lines = out.stdout.splitlines()
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[0].startswith("SEVERITY"))
        self.assertEqual(lines[1].split()[:7],
                         ["critical", "F-7", "L-12", "Storgatan", "4", "bus1/12", "lamp_failure"])
        self.assertIn("yes (Anna)", lines[1])
        self.assertTrue(lines[2].startswith("minor"))

    def test_faults_all_json(self):
        out = self.ctl("faults", "--all", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.daemon.requests[-1], {"command": "faults/list", "active_only": False})
        self.assertEqual([f["id"] for f in json.loads(out.stdout)], ["F-3", "F-7"])

    def test_ack(self):
        out = self.ctl("faults", "ack", "F-7", "--by", "Anna", "--note", "ladder")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.daemon.requests[-1],
                         {"command": "faults/ack", "fault": "F-7", "by": "Anna", "note": "ladder"})
        self.assertIn("F-7 acknowledged", out.stdout)
        bad = self.ctl("faults", "ack", "F-99", "--by", "Anna")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("unknown_fault", bad.stderr)
        self.assertIn("(fault)", bad.stderr)

    def test_maintenance_page(self):
        path = os.path.join(self.dir.name, "maintenance.html")
        out = self.ctl("report", "maintenance", "--out", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.daemon.requests[-1]["command"], "faults/report")
        text, page, xml = parse_page(path)
        self.assertEqual(page.errors, [])
        self.assertEqual(page.stack, [])
        self.assertEqual(xml.returncode, 0, xml.stderr)
        rows = page.tables["faults"][1:]
        self.assertEqual([r[0] for r in rows], ["critical", "minor"])
        self.assertEqual(rows[0][2:6], ["L-12", "Storgatan 4", "bus1/12", "lamp_failure"])
        self.assertEqual(page.tables["areas"][1][4], "50.0 %")
        states = {c["data-id"]: c["data-state"] for c in page.circles if c.get("class") == "lum"}
        self.assertEqual(states, {"L-11": "ok", "L-12": "critical"})
        self.assertIn("Torget &lt;north&gt;", text)
        self.assertNotIn("src=", text)

    def test_stats_csv_json_html(self):
        out = self.ctl("report", "stats", "--from", "2026-09-01", "--to", "2026-11-30", "--area", "torget",
                       "--granularity", "month")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.daemon.requests[-1],
                         {"command": "report/get", "from": "2026-09-01", "to": "2026-11-30",
                          "granularity": "month", "areas": ["torget"]})
        rows = out.stdout.splitlines()
        self.assertEqual(len(rows), 4)
        self.assertTrue(rows[0].startswith("area,period,lit_hours"))
        self.assertEqual(rows[3].split(",")[:7], ["torget", "2026-11", "14.000", "2.000", "2.000", "28.000", "52.250"])

        out = self.ctl("report", "stats", "--from", "2026-09-01", "--to", "2026-11-30", "--json")
        self.assertEqual(json.loads(out.stdout)["areas"][0]["total"]["energy_kwh"], 92.75)

        path = os.path.join(self.dir.name, "stats.html")
        out = self.ctl("report", "stats", "--from", "2026-09-01", "--to", "2026-11-30", "--html", "--out", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        text, page, xml = parse_page(path)
        self.assertEqual(page.errors, [])
        self.assertEqual(xml.returncode, 0, xml.stderr)
        self.assertEqual([r[0] for r in page.tables["torget"][1:]], ["2026-09", "2026-10", "2026-11", "total"])
        self.assertIn('data-figure="energy_kwh"', text)
        self.assertIn("<polyline", text)

    def test_usage_errors(self):
        out = self.ctl("report", "stats", "--from", "2026-09-01", "--to", "2026-11-30", "--csv", "--html")
        self.assertNotEqual(out.returncode, 0)
        out = self.ctl("report", "stats", "--from", "2026-09-01", "--to", "2026-11-30", "--granularity", "week")
        self.assertNotEqual(out.returncode, 0)
        self.assertEqual(self.daemon.requests, [])


if __name__ == "__main__":
    unittest.main()
