#!/usr/bin/python3
"""Group membership after a bus becomes ready: lyktad with one DALI bus of 64 gear
(`lykta-sim dali --realtime`: DALI wire timing, Foxtron over loopback TCP), two
areas in groups 1 and 2 as in config/example.yaml (the gear already hold them:
the check at every start verifies, it repairs nothing), D4i energy reads due at
start and the identity reads of every gear at the first sweeps: the work that
queued with the group check before groups came first. Measures bus ready -> group
membership verified (the daemon's log lines; target <= 6 s), start -> ready,
and how many bulk reads (READ MEMORY LOCATION) reached the bus before the
last group frame (0 since groups come first). Prints a RESULT line; asserts nothing."""
import os
import re
import tempfile
import time

from common import emit
from harness import Lyktad, Mosquitto, Sim, minimal_config, write_config

GEAR = 64


def config_text(broker_port, store, port):
    half = GEAR // 2
    return minimal_config(broker_port, store, gateway_id="bench-gw", extra=f"""
dali:
  group_membership: repair
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{port}", sweep_s: 60, energy_sweep_s: 900 }}
luminaires:
  - {{ id: "A-{{n:02}}", bus: bus1, addresses: 0..{half - 1}, first: 0, area: a }}
  - {{ id: "B-{{n:02}}", bus: bus1, addresses: {half}..{GEAR - 1}, first: 0, area: b }}
areas:
  - {{ id: a, profile: p, dali_groups: {{ bus1: 1 }} }}
  - {{ id: b, profile: p, dali_groups: {{ bus1: 2 }} }}
profiles:
  p:
    - {{ at: "00:00", level: 60 }}
""").replace("level: debug", "level: info")


def wait_line(proc, pattern, deadline):
    """time.monotonic() when a stderr line matching `pattern` is first seen (polled every 10 ms)."""
    rx = re.compile(pattern)
    while time.monotonic() < deadline:
        if rx.search(proc.stderr()):
            return time.monotonic()
        if not proc.running():
            raise RuntimeError("lyktad exited: " + proc.stderr()[-300:])
        time.sleep(0.01)
    raise RuntimeError(f"no log line /{pattern}/ in time")


def run():
    with tempfile.TemporaryDirectory(prefix="lykta-bench-groups-") as tmp:
        frames = os.path.join(tmp, "frames.log")
        broker = Mosquitto()
        sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", str(GEAR), "--realtime", "--frame-log", frames,
                  "--groups", f"0..{GEAR // 2 - 1}:1", "--groups", f"{GEAR // 2}..{GEAR - 1}:2")
        lyktad = None
        try:
            port = int(sim.read_line("listening ").rsplit(":", 1)[1])
            path = write_config(tmp, config_text(broker.port, os.path.join(tmp, "lykta.db"), port))
            t0 = time.monotonic()
            lyktad = Lyktad(path)
            deadline = t0 + 120
            # (the second form: binaries from before the ready gate, for a before/after comparison)
            ready = wait_line(lyktad, r"DALI bus bus1: ready|lighting: bus bus1 answers", deadline)
            verified = wait_line(lyktad, r"DALI bus bus1: group membership verified", deadline)
            with open(frames) as f:
                lines = f.readlines()
            last_group = max((i for i, l in enumerate(lines) if "QUERY GROUPS" in l or "TO GROUP" in l), default=-1)
            bulk_before = sum(1 for l in lines[:max(last_group, 0)] if "READ MEMORY LOCATION" in l)
            emit(groups_ready_s=ready - t0, groups_verified_s=verified - ready, groups_bulk_before=bulk_before)
        finally:
            if lyktad:
                lyktad.stop()
            sim.stop()
            broker.stop()


if __name__ == "__main__":
    run()
