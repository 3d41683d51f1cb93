"""A store the daemon cannot trust (garbage, or a real SQLite file with a
damaged page) is moved aside with a clear error and a fresh one is started:
the daemon comes online instead of crash-looping under systemd."""
import glob
import os
import signal
import sqlite3
import tempfile
import unittest

from fixtures import integrity
from harness import Lyktad, Mosquitto, Observer, minimal_config, write_config

P = "lykta/test-gw"


def online(p):
    return isinstance(p, dict) and p.get("state") == "online"


class StoreRecovery(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-store-rec-")
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.store = os.path.join(self.dir, "lykta.db")
        self.config = write_config(self.dir, minimal_config(self.broker.port, self.store))
        self.observer = Observer(self.broker.port, [f"{P}/#"])
        self.addCleanup(self.observer.close)

    def run_and_check_recovery(self):
        since = len(self.observer.snapshot())
        daemon = Lyktad(self.config)
        self.addCleanup(daemon.stop)
        try:
            self.observer.wait_for(f"{P}/status", online, since=since)
        except AssertionError:
            raise AssertionError(f"daemon did not come online: {daemon.stderr()[-3000:]}")
        log = daemon.stderr()
        aside = glob.glob(self.store + ".corrupt-*")
        self.assertEqual(len([a for a in aside if not a.endswith(("-wal", "-shm"))]), 1, aside)
        self.assertIn(f"store {self.store} was corrupt; moved it aside to {aside[0]}", log)
        self.assertEqual(self.observer.request(P, "republish", {})["status"], "ok")
        self.assertEqual(daemon.stop(signal.SIGTERM), 0)
        self.assertEqual(integrity(self.store), "ok")
        # The next start finds a sound store and moves nothing.
        again = Lyktad(self.config)
        self.addCleanup(again.stop)
        self.observer.wait_for(f"{P}/status", online, since=len(self.observer.snapshot()))
        self.assertEqual(again.stop(signal.SIGTERM), 0)
        self.assertEqual(len(glob.glob(self.store + ".corrupt-*")), len(aside))
        self.assertNotIn("corrupt", again.stderr())

    def test_a_garbage_file_is_moved_aside(self):
        with open(self.store, "wb") as f:
            f.write(b"this is not a database, it is what a failing SD card left" * 100)
        self.run_and_check_recovery()

    def test_a_damaged_page_is_moved_aside(self):
        daemon = Lyktad(self.config)
        self.observer.wait_for(f"{P}/status", online)
        self.assertEqual(daemon.stop(signal.SIGTERM), 0)
        with sqlite3.connect(self.store) as db:  # enough rows to span many pages
            db.execute("CREATE TABLE filler(x)")
            db.executemany("INSERT INTO filler VALUES(?)", [("x" * 200,)] * 2000)
        with sqlite3.connect(self.store) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = os.path.getsize(self.store)
        with open(self.store, "r+b") as f:  # scribble over interior pages, keep the header
            for offset in range(4096 * 2, size, 4096 * 7):
                f.seek(offset)
                f.write(os.urandom(512))
        self.assertNotEqual(integrity(self.store), "ok")
        self.run_and_check_recovery()


if __name__ == "__main__":
    unittest.main()
