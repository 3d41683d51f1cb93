"""lyktad under a fake systemd: a NOTIFY_SOCKET datagram socket of our own
receives READY=1 once the gateway runs, WATCHDOG=1 pings at half the
WATCHDOG_USEC period, RELOADING=1 (with MONOTONIC_USEC) then READY=1 on
SIGHUP whether the new file is taken or rejected, and STOPPING=1 only on
SIGTERM: systemd takes STOPPING=1 from a running Type=notify unit as the start
of a stop and kills the process after TimeoutStopSec (sd_notify(3),
"Well-known assignments")."""
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import (BIN, DEFAULT_TIMEOUT, Lyktad, Mosquitto, Observer, Process, minimal_config, wait_until,
                     write_config)


class NotifySocket:
    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.settimeout(0.2)
        self.datagrams = []  # one list of KEY=VALUE lines per datagram, in arrival order
        self._lock = threading.Lock()
        self._stop = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        while not self._stop:
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self.datagrams.append([line for line in data.decode().split("\n") if line])

    def lines(self):
        with self._lock:
            return [line for datagram in self.datagrams for line in datagram]

    def states(self):
        """The datagrams that are not watchdog pings, in order (READY, RELOADING, STOPPING...)."""
        with self._lock:
            return [d for d in self.datagrams if d != ["WATCHDOG=1"]]

    def count(self, line):
        return self.lines().count(line)

    def close(self):
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()


def under_fake_systemd(test, env_extra=None, command=None):
    """A broker, a fake NOTIFY_SOCKET and lyktad (or the argv `command(config)`),
    all stopped with `test`'s cleanups: (broker, notify, daemon)."""
    work = tempfile.mkdtemp(prefix="lykta-notify-")
    broker = Mosquitto()
    test.addCleanup(broker.stop)
    notify = NotifySocket(work)
    test.addCleanup(notify.close)
    config = write_config(work, minimal_config(broker.port, os.path.join(work, "lykta.db")))
    env = dict(os.environ, NOTIFY_SOCKET=notify.path, **(env_extra or {}))
    daemon = Process(command(config), env=env) if command else Lyktad(config, env=env)
    test.addCleanup(daemon.stop)
    return broker, notify, daemon


class SystemdNotify(unittest.TestCase):
    def test_ready_watchdog_and_stopping(self):
        _, notify, daemon = under_fake_systemd(self, {"WATCHDOG_USEC": "400000"})
        wait_until(lambda: "READY=1" in notify.lines(), what="READY=1")
        status = [line for line in notify.lines() if line.startswith("STATUS=")]
        self.assertTrue(status and "luminaires" in status[0], status)
        # 400 ms watchdog → a ping every 200 ms; three of them prove it repeats.
        wait_until(lambda: notify.lines().count("WATCHDOG=1") >= 3, what="three WATCHDOG=1 pings")
        self.assertNotIn("STOPPING=1", notify.lines())

        self.assertEqual(daemon.stop(), 0)
        wait_until(lambda: "STOPPING=1" in notify.lines(), timeout=DEFAULT_TIMEOUT, what="STOPPING=1")


class SystemdReload(unittest.TestCase):
    """systemctl reload = SIGHUP. The daemon must stay the same process and
    tell systemd RELOADING=1, then READY=1 when the reload is over."""

    PREFIX = "lykta/test-gw"

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="lykta-reload-")
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.notify = NotifySocket(self.work)
        self.addCleanup(self.notify.close)
        self.config = write_config(self.work, minimal_config(self.broker.port, os.path.join(self.work, "lykta.db")))
        self.obs = Observer(self.broker.port, [f"{self.PREFIX}/#"])
        self.addCleanup(self.obs.close)
        self.daemon = Lyktad(self.config, env=dict(os.environ, NOTIFY_SOCKET=self.notify.path))
        self.addCleanup(self.daemon.stop)
        self.first = self.obs.wait_for(f"{self.PREFIX}/status", lambda p: p and p.get("state") == "online")
        wait_until(lambda: self.notify.count("READY=1") == 1, what="READY=1 at start")

    def edit_config(self, old, new):
        with open(self.config) as f:
            text = f.read()
        self.assertIn(old, text)
        with open(self.config, "w") as f:
            f.write(text.replace(old, new))

    def reload_and_wait_ready(self, readies_before):
        before = time.monotonic()
        self.daemon.signal(signal.SIGHUP)
        wait_until(lambda: self.notify.count("READY=1") == readies_before + 1, what="READY=1 after the reload")
        states = self.notify.states()
        reloading = [i for i, d in enumerate(states) if "RELOADING=1" in d]
        ready = [i for i, d in enumerate(states) if "READY=1" in d]
        self.assertEqual(len(reloading), readies_before, states)
        # RELOADING=1 came before this READY=1 and after the previous one.
        self.assertLess(ready[-2], reloading[-1], states)
        self.assertLess(reloading[-1], ready[-1], states)
        # MONOTONIC_USEC in the same datagram: CLOCK_MONOTONIC µs (Python's
        # time.monotonic is CLOCK_MONOTONIC on Linux), taken when the SIGHUP
        # was handled.
        usec = [line for line in states[reloading[-1]] if line.startswith("MONOTONIC_USEC=")]
        self.assertEqual(len(usec), 1, states[reloading[-1]])
        value = int(usec[0].split("=", 1)[1])
        self.assertLessEqual(before * 1e6, value)
        self.assertLessEqual(value, time.monotonic() * 1e6)
        self.assertNotIn("STOPPING=1", self.notify.lines())
        self.assertTrue(self.daemon.running())
        return states[ready[-1]]

    def test_reload_with_a_valid_file_is_reloading_then_ready_and_never_stopping(self):
        self.edit_config('name: "Test cabinet"', 'name: "Renamed cabinet"')
        self.reload_and_wait_ready(1)
        # The new configuration runs (a new session with the new name).
        self.obs.wait_for(f"{self.PREFIX}/status",
                          lambda p: p and p.get("state") == "online" and p["session"] > self.first["session"])
        self.obs.wait_for(f"{self.PREFIX}/info", lambda p: p and p.get("name") == "Renamed cabinet")
        # And a real stop is still announced.
        self.assertEqual(self.daemon.stop(), 0)
        wait_until(lambda: "STOPPING=1" in self.notify.lines(), what="STOPPING=1 on SIGTERM")

    def test_reload_with_an_invalid_file_is_reloading_then_ready_and_the_old_config_runs(self):
        self.edit_config('name: "Test cabinet"', 'name: "Renamed cabinet"\nno_such_section: 1')
        ready = self.reload_and_wait_ready(1)
        self.assertTrue(any("reload rejected" in line for line in ready if line.startswith("STATUS=")), ready)
        # The old configuration still runs: the same session answers, with the old name.
        since = len(self.obs.snapshot())
        self.assertEqual(self.obs.request(self.PREFIX, "republish", {}).get("status"), "ok")
        info = self.obs.wait_for(f"{self.PREFIX}/info", lambda p: isinstance(p, dict), since=since)
        self.assertEqual(info.get("name"), "Test cabinet")
        statuses = [json.loads(m.payload) for m in self.obs.snapshot() if m.topic == f"{self.PREFIX}/status"]
        self.assertEqual({s["session"] for s in statuses if s.get("state") == "online"}, {self.first["session"]})
        # A fixed file then reloads as usual.
        self.edit_config("\nno_such_section: 1", "")
        self.reload_and_wait_ready(2)
        self.obs.wait_for(f"{self.PREFIX}/info", lambda p: p and p.get("name") == "Renamed cabinet")

    def test_sighups_in_a_row_never_kill_the_daemon(self):
        # Each valid SIGHUP replaces the running App; one that lands between
        # two Apps must wait for the next one, not take SIGHUP's default
        # action (terminate).
        pid = self.daemon.proc.pid
        for n in range(40):
            self.daemon.signal(signal.SIGHUP)
            time.sleep(0.01 * (n % 7))  # spread the signals over the reload's phases (not a synchronisation)
            self.assertTrue(self.daemon.running(), f"lyktad died at SIGHUP {n + 1}:\n{self.daemon.stderr()[-2000:]}")
        # Every RELOADING=1 gets its READY=1 (plus the one at start) once the
        # signals have been worked off; a SIGHUP that waited in the gap between
        # two Apps starts one more reload, so wait for the balance, not a count.
        wait_until(lambda: self.notify.count("READY=1") == self.notify.count("RELOADING=1") + 1,
                   what="a READY=1 for every RELOADING=1")
        self.assertGreaterEqual(self.notify.count("RELOADING=1"), 1)
        self.assertTrue(self.daemon.running())
        self.assertEqual(self.daemon.proc.pid, pid)
        self.assertNotIn("STOPPING=1", self.notify.lines())
        self.assertEqual(self.daemon.stop(), 0)


class IgnoredByTheParent(unittest.TestCase):
    def test_reload_and_stop_work_when_the_parent_ignored_sighup(self):
        # nohup (or a supervisor) starts lyktad with SIGHUP ignored. The daemon
        # waits for its signals blocked, on a signalfd; POSIX leaves it open
        # whether an ignored signal stays pending then (Linux keeps it), so the
        # daemon puts the default disposition back. Reload and stop must work.
        _, notify, daemon = under_fake_systemd(
            self, command=lambda config: ["nohup", os.path.join(BIN, "lyktad"), "--config", config])
        wait_until(lambda: notify.count("READY=1") == 1, what="READY=1 at start")
        daemon.signal(signal.SIGHUP)
        wait_until(lambda: notify.count("READY=1") == 2, what="READY=1 after the reload")
        self.assertEqual(notify.count("RELOADING=1"), 1)
        self.assertEqual(daemon.stop(), 0)
        self.assertEqual(notify.count("STOPPING=1"), 1)


class Journal(unittest.TestCase):
    def test_under_journald_lines_carry_their_syslog_priority_and_no_timestamp(self):
        work = tempfile.mkdtemp(prefix="lykta-journal-")
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        config = write_config(work, minimal_config(broker.port, os.path.join(work, "lykta.db")))
        # journald hands a service its stream as stderr and names it in JOURNAL_STREAM
        # (device:inode); a file stands in for the stream here.
        log_path = os.path.join(work, "stderr.log")
        with open(log_path, "wb") as log:
            st = os.fstat(log.fileno())
            env = dict(os.environ, JOURNAL_STREAM=f"{st.st_dev}:{st.st_ino}")
            daemon = subprocess.Popen([os.path.join(BIN, "lyktad"), "--config", config], env=env,
                                      stdout=subprocess.DEVNULL, stderr=log)
        self.addCleanup(lambda: daemon.poll() is None and daemon.kill())

        def text():
            with open(log_path) as f:
                return f.read()

        wait_until(lambda: "running as gateway" in text(), what="the start line")
        daemon.send_signal(signal.SIGTERM)
        self.assertEqual(daemon.wait(timeout=DEFAULT_TIMEOUT), 0)
        lines = [line for line in text().splitlines() if line]
        self.assertIn("<6>info: lyktad", "\n".join(lines))
        for line in lines:
            self.assertRegex(line, r"^<[2-7]>(trace|debug|info|warning|error|critical): ", line)
            self.assertIsNone(re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", line[:30]), line)


if __name__ == "__main__":
    unittest.main()
