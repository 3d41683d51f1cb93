"""The .deb: built with cpack from this build tree, installed into a throwaway
root with dpkg --root, checked for its files, and the installed lyktad accepts
the installed example config."""
import glob
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="lykta-deb-")
        build_dir = os.path.dirname(os.path.abspath(BIN))
        out = subprocess.run(["cpack", "-G", "DEB", "-B", cls.work], cwd=build_dir,
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            raise AssertionError(f"cpack failed:\n{out.stdout}\n{out.stderr}")
        debs = glob.glob(os.path.join(cls.work, "*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]
        cls.root = os.path.join(cls.work, "root")
        for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"):
            os.makedirs(os.path.join(cls.root, d))
        open(os.path.join(cls.root, "var/lib/dpkg/status"), "w").close()
        # Only the files are under test here: the maintainer script needs a full
        # system (adduser), and the dependencies are the host's.
        out = subprocess.run(["dpkg", "--root", cls.root, "--force-depends", "--force-not-root",
                              "--force-script-chrootless", "--no-triggers", "--unpack", cls.deb],
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise AssertionError(f"dpkg --unpack failed:\n{out.stdout}\n{out.stderr}")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def installed(self, path):
        """Where dpkg put `path`: an unpacked but not yet configured package
        holds its conffiles as FILE.dpkg-new until the configure step."""
        full = os.path.join(self.root, path)
        return full if os.path.exists(full) or not os.path.exists(full + ".dpkg-new") else full + ".dpkg-new"

    def test_files_are_installed(self):
        for path in ("usr/bin/lyktad", "usr/bin/lyktactl", "usr/bin/lykta-sim",
                     "lib/systemd/system/lyktad.service", "etc/lykta/lykta.yaml",
                     "usr/share/lykta/templates/sdm630.yaml", "usr/share/doc/lykta/README.md"):
            self.assertTrue(os.path.exists(self.installed(path)), path)
        self.assertTrue(os.access(os.path.join(self.root, "usr/bin/lyktad"), os.X_OK))

    def test_package_metadata(self):
        info = subprocess.run(["dpkg-deb", "--info", self.deb], capture_output=True, text=True).stdout
        self.assertIn("Package: lykta", info)
        self.assertIn("Depends:", info)
        conffiles = subprocess.run(["dpkg-deb", "--ctrl-tarfile", self.deb], capture_output=True).stdout
        self.assertIn(b"conffiles", conffiles)

    def test_unit_passes_systemd_analyze_verify(self):
        if not shutil.which("systemd-analyze"):
            self.skipTest("systemd-analyze is not installed")
        # verify needs the ExecStart binaries to exist; point them into the root.
        unit_dir = os.path.join(self.work, "unit")
        os.makedirs(unit_dir, exist_ok=True)
        with open(self.installed("lib/systemd/system/lyktad.service")) as f:
            text = f.read()
        self.assertIn("Type=notify", text)
        self.assertIn("WatchdogSec=", text)
        unit = os.path.join(unit_dir, "lyktad.service")
        with open(unit, "w") as f:
            f.write(text.replace("/usr/bin/lyktad", os.path.join(self.root, "usr/bin/lyktad")))
        out = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(out.stderr.strip(), "", out.stderr)

    def test_installed_daemon_accepts_the_installed_config(self):
        config = self.installed("etc/lykta/lykta.yaml")
        # Installed, the config finds its templates in /usr/share/lykta/templates;
        # in the throwaway root they sit beside a copy of it instead ("templates"
        # relative to the config file is searched first).
        local = os.path.join(self.work, "lykta.yaml")
        shutil.copy(config, local)
        shutil.copytree(os.path.join(self.root, "usr/share/lykta/templates"),
                        os.path.join(self.work, "templates"))
        out = subprocess.run([os.path.join(self.root, "usr/bin/lyktad"), "--check", local],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertTrue(out.stdout.startswith("ok: "), out.stdout)


if __name__ == "__main__":
    unittest.main()
