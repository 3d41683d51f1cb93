"""Black-box test of `lyktad --check FILE`: the shipped configs pass with a
one-line summary, and broken variants of config/example.yaml fail with one
`FILE:LINE:COL: message` line per problem, pointing at the edited line.

Standard library only; run with Debian's /usr/bin/python3.
"""
import os
import re
import subprocess
import tempfile
import unittest

BIN = os.environ.get("LYKTA_BIN", os.path.join(os.path.dirname(__file__), "../../build/bin"))
SOURCE = os.environ.get("LYKTA_SOURCE", os.path.join(os.path.dirname(__file__), "../.."))
LYKTAD = os.path.join(BIN, "lyktad")
EXAMPLE = os.path.join(SOURCE, "config", "example.yaml")
DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
SUMMARY = re.compile(r"^ok: (\d+) buses, (\d+) luminaires, (\d+) areas, (\d+) profiles, (\d+) modbus devices$")


def check(path):
    return subprocess.run([LYKTAD, "--check", path], capture_output=True, text=True, timeout=30)


def position_of(text, needle, occurrence=1):
    """1-based (line, col) of the n-th occurrence of needle in text."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, col


class CheckCommand(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(EXAMPLE, encoding="utf-8") as f:
            cls.example = f.read()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="lykta-check-")
        self.addCleanup(self.tmp.cleanup)

    def write_variant(self, replacements, name="broken.yaml"):
        text = self.example
        for old, new in replacements:
            self.assertTrue(old in text, f"example.yaml no longer contains {old!r}")
            text = text.replace(old, new, 1)
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path, text

    def diagnostics(self, result, path):
        self.assertEqual(result.returncode, 1, f"stdout={result.stdout!r} stderr={result.stderr!r}")
        lines = [l for l in result.stderr.splitlines() if l.strip()]
        self.assertTrue(lines, "no diagnostics on stderr")
        parsed = []
        for line in lines:
            m = DIAGNOSTIC.match(line)
            self.assertIsNotNone(m, f"not FILE:LINE:COL: message: {line!r}")
            self.assertEqual(m["file"], path)
            parsed.append((int(m["line"]), int(m["col"]), m["message"]))
        return parsed

    def assertDiagnostic(self, parsed, line, col, fragment):
        for l, c, message in parsed:
            if l == line and c == col and fragment in message:
                return
        self.fail(f"no diagnostic at {line}:{col} containing {fragment!r} in {parsed}")

    # -- good files -------------------------------------------------------

    def test_example_passes_with_summary(self):
        result = check(EXAMPLE)
        self.assertEqual(result.returncode, 0, result.stderr)
        # No problems; only warnings about its credential files where this machine lacks them
        # (/etc/lykta/mqtt.pass, /etc/lykta/ca.pem: a box not provisioned yet).
        for line in result.stderr.strip().splitlines():
            self.assertRegex(line, r": warning: mqtt\.(password_file|tls\.\w+_file) \S+ cannot be read")
        lines = result.stdout.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stdout)
        m = SUMMARY.match(lines[0])
        self.assertIsNotNone(m, lines[0])
        self.assertEqual([int(x) for x in m.groups()], [2, 42, 4, 3, 2])

    def test_demo_passes(self):
        result = check(os.path.join(SOURCE, "config", "demo.yaml"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout.strip(), SUMMARY)

    # -- broken variants --------------------------------------------------

    def test_out_of_range_address(self):
        path, text = self.write_variant([("    address: 1\n", "    address: 64\n")])
        line, _ = position_of(text, "    address: 64\n")
        self.assertDiagnostic(self.diagnostics(check(path), path), line, 14,
                              "luminaires[1].address: 64 is out of range 0..63")

    def test_unknown_key_suggests_closest(self):
        path, text = self.write_variant([("    address: 0 ", "    adress: 0 ")])
        line, col = position_of(text, "adress")
        parsed = self.diagnostics(check(path), path)
        self.assertDiagnostic(parsed, line, col, "unknown key 'adress' (did you mean 'address'?)")

    def test_unknown_time_zone(self):
        path, text = self.write_variant([("timezone: Europe/Stockholm", "timezone: Europe/Bastad")])
        line, col = position_of(text, "Europe/Bastad")
        self.assertDiagnostic(self.diagnostics(check(path), path), line, col,
                              "site.timezone: unknown time zone 'Europe/Bastad'")

    def test_bad_time_expression(self):
        path, text = self.write_variant([('"sunset-10m"', '"sunset-10x"')])
        line, col = position_of(text, '"sunset-10x"')
        self.assertDiagnostic(self.diagnostics(check(path), path), line, col,
                              "profiles.centrum[0].at: bad time expression 'sunset-10x'")

    def test_duplicate_short_address_between_runs(self):
        path, text = self.write_variant([("addresses: 12..27", "addresses: 11..26")])
        line, col = position_of(text, "11..26")
        self.assertDiagnostic(self.diagnostics(check(path), path), line, col,
                              "short address 11 on bus 'bus1' is already used by luminaire 'L-012'")

    def test_yaml_syntax_error(self):
        path, text = self.write_variant([("log: { level: info }", "log: { level: info")])
        parsed = self.diagnostics(check(path), path)
        self.assertEqual(len(parsed), 1, parsed)
        self.assertIn("YAML syntax error", parsed[0][2])
        broken_line, _ = position_of(text, "log: { level: info\n")
        self.assertGreaterEqual(parsed[0][0], broken_line)

    def test_every_problem_is_reported(self):
        path, text = self.write_variant([
            ("  latitude: 56.4296", "  latitude: 96.4296"),
            ("    area: torget\n", "    area: torgett\n"),
            ("    profile: villa\n", "    profile: vila\n"),
            ("  qos: 1\n", "  qos: 3\n"),
        ])
        parsed = self.diagnostics(check(path), path)
        self.assertDiagnostic(parsed, *position_of(text, "96.4296"), "site.latitude: 96.4296 is out of range -90..90")
        self.assertDiagnostic(parsed, *position_of(text, "torgett"),
                              "luminaires[0].area: unknown area 'torgett' (did you mean 'torget'?)")
        self.assertDiagnostic(parsed, *position_of(text, "vila\n"), "unknown profile 'vila' (did you mean 'villa'?)")
        line, _ = position_of(text, "  qos: 3\n")
        self.assertDiagnostic(parsed, line, 8, "mqtt.qos: 3 is out of range 0..2")
        self.assertEqual(len(parsed), 4, parsed)
        self.assertEqual([p[0] for p in parsed], sorted(p[0] for p in parsed), "diagnostics not in file order")

    def test_missing_file(self):
        missing = os.path.join(self.tmp.name, "nope.yaml")
        result = check(missing)
        self.assertEqual(result.returncode, 1)
        self.assertIn(missing, result.stderr)


if __name__ == "__main__":
    unittest.main()
