"""`lyktad --check` validates the device templates a config names: an unknown
template is reported at the device's `template` key in the config, a broken
template at its own TEMPLATEFILE:LINE:COL; and a daemon with a broken template
refuses to start."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN, SOURCE

LYKTAD = os.path.join(BIN, "lyktad")
DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


class ModbusTemplateCheck(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-modbus-check-")
        # example.yaml with the shipped templates beside it, as in the package.
        shutil.copytree(os.path.join(SOURCE, "config/templates"), os.path.join(self.dir, "templates"))
        with open(os.path.join(SOURCE, "config/example.yaml"), encoding="utf-8") as f:
            self.example = f.read()

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def check(self, text):
        path = os.path.join(self.dir, "lykta.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        out = subprocess.run([LYKTAD, "--check", path], capture_output=True, text=True, timeout=30)
        return out, [DIAGNOSTIC.match(line) for line in out.stderr.splitlines()]

    def test_example_with_its_templates_passes(self):
        out, _ = self.check(self.example)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertTrue(out.stdout.startswith("ok: "))

    def test_unknown_template_is_reported_at_the_device(self):
        text = self.example.replace("template: sdm630 ", "template: sdm631 ", 1)
        self.assertNotEqual(text, self.example)
        out, diagnostics = self.check(text)
        self.assertEqual(out.returncode, 1)
        self.assertEqual(len(diagnostics), 1, out.stderr)
        d = diagnostics[0]
        self.assertIsNotNone(d, out.stderr)
        line = text.count("\n", 0, text.index("sdm631")) + 1
        col = text.index("sdm631") - text.rfind("\n", 0, text.index("sdm631"))
        self.assertEqual((int(d["line"]), int(d["col"])), (line, col))
        self.assertIn("no template 'sdm631'", d["message"])

    def test_broken_template_is_reported_in_the_template(self):
        template = os.path.join(self.dir, "templates", "relay-di-8.yaml")
        with open(template, encoding="utf-8") as f:
            text = f.read()
        broken = text.replace("register: coil, address: 1 }", "register: coils, address: 1 }", 1)
        self.assertNotEqual(broken, text)
        with open(template, "w", encoding="utf-8") as f:
            f.write(broken)
        out, diagnostics = self.check(self.example)
        self.assertEqual(out.returncode, 1)
        self.assertEqual(len(diagnostics), 1, out.stderr)
        d = diagnostics[0]
        self.assertEqual(os.path.realpath(d["file"]), os.path.realpath(template))
        at = broken.index("coils, address: 1")
        self.assertEqual(int(d["line"]), broken.count("\n", 0, at) + 1)
        self.assertEqual(int(d["col"]), at - broken.rfind("\n", 0, at))
        self.assertIn("unknown register 'coils'", d["message"])
        # The daemon refuses to start with it.
        path = os.path.join(self.dir, "lykta.yaml")
        run = subprocess.run([LYKTAD, "--config", path], capture_output=True, text=True, timeout=30)
        self.assertEqual(run.returncode, 1)
        self.assertIn("unknown register 'coils'", run.stderr)

    def test_contactor_on_a_read_only_value_is_reported_at_its_value(self):
        needle = "- { device: io1, areas:"
        self.assertIn(needle, self.example)
        text = self.example.replace(needle, "- { device: io1, value: door_open, areas:", 1)
        out, diagnostics = self.check(text)
        self.assertEqual(out.returncode, 1)
        self.assertEqual(len(diagnostics), 1, out.stderr)
        d = diagnostics[0]
        self.assertIsNotNone(d, out.stderr)
        at = text.index("door_open, areas:")
        self.assertEqual((int(d["line"]), int(d["col"])), (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)))
        self.assertIn("modbus.contactors[0].value: 'door_open' is a read-only discrete_input", d["message"])


if __name__ == "__main__":
    unittest.main()
