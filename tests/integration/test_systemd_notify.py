"""lyktad under a fake systemd: a NOTIFY_SOCKET datagram socket of our own
receives READY=1 once the gateway runs, WATCHDOG=1 pings at half the
WATCHDOG_USEC period, and STOPPING=1 on SIGTERM."""
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import unittest

from harness import BIN, DEFAULT_TIMEOUT, Lyktad, Mosquitto, minimal_config, wait_until, write_config


class NotifySocket:
    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.settimeout(0.2)
        self.messages = []
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
                self.messages.extend(data.decode().split("\n"))

    def lines(self):
        with self._lock:
            return list(self.messages)

    def close(self):
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()


class SystemdNotify(unittest.TestCase):
    def test_ready_watchdog_and_stopping(self):
        work = tempfile.mkdtemp(prefix="lykta-notify-")
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        notify = NotifySocket(work)
        self.addCleanup(notify.close)
        config = write_config(work, minimal_config(broker.port, os.path.join(work, "lykta.db")))
        env = dict(os.environ, NOTIFY_SOCKET=notify.path, WATCHDOG_USEC="400000")
        daemon = Lyktad(config, env=env)
        self.addCleanup(daemon.stop)

        wait_until(lambda: "READY=1" in notify.lines(), what="READY=1")
        status = [line for line in notify.lines() if line.startswith("STATUS=")]
        self.assertTrue(status and "luminaires" in status[0], status)
        # 400 ms watchdog → a ping every 200 ms; three of them prove it repeats.
        wait_until(lambda: notify.lines().count("WATCHDOG=1") >= 3, what="three WATCHDOG=1 pings")
        self.assertNotIn("STOPPING=1", notify.lines())

        self.assertEqual(daemon.stop(), 0)
        wait_until(lambda: "STOPPING=1" in notify.lines(), timeout=DEFAULT_TIMEOUT, what="STOPPING=1")


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
