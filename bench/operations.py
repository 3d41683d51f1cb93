#!/usr/bin/python3
"""lyktactl's fleet verbs and remote round trip, loopback only:
- fleet status and fleet faults (table; faults with locations from faults/list)
  over 1,000 synthetic gateways (synthetic_fleet.py) on a private mosquitto,
- fleet report over the same 1,000 gateways, a year compared with the year
  before (2 × 1,000 report/get answers of 12 months × 3 areas),
- a remote verb's round trip against a real lyktad over MQTT 5: p50/p99 of
  200 requests over one connection (`lyktactl call --repeat`), and of 50
  whole lyktactl processes (start, connect, request, disconnect).
Prints RESULT lines for table.py. Env: LYKTA_BIN (lyktad, lyktactl)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
from common import emit, percentile  # noqa: E402
from harness import Lyktad, Mosquitto, Observer, minimal_config, write_config  # noqa: E402
from synthetic_fleet import SyntheticFleet  # noqa: E402

BIN = os.environ.get("LYKTA_BIN", os.path.join(HERE, "..", "build-bench", "bin"))
CTL = os.path.join(BIN, "lyktactl")


def timed(argv):
    t0 = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[-3:])}: exit {p.returncode}: {p.stderr[-300:]}")
    return time.monotonic() - t0, p.stdout


def fleet_figures(count=1000):
    with Mosquitto() as broker:
        fleet = SyntheticFleet(broker.port, count)
        try:
            fleet.publish_retained()
            status_s, out = timed([CTL, "--broker", broker.uri, "fleet", "status"])
            if len(out.splitlines()) != count + 1:
                raise RuntimeError(f"fleet status listed {len(out.splitlines()) - 1} of {count} gateways")
            faults_s, out = timed([CTL, "--broker", broker.uri, "fleet", "faults"])
            expected = sum(len(v) for v in fleet.faults.values())
            if len(out.splitlines()) != expected + 1:
                raise RuntimeError(f"fleet faults listed {len(out.splitlines()) - 1} of {expected} faults")
            report_s, out = timed([CTL, "--broker", broker.uri, "fleet", "report", "--from", "2025-01-01",
                                   "--to", "2025-12-31", "--compare-from", "2024-01-01", "--compare-to",
                                   "2024-12-31", "--json"])
            report = json.loads(out)
            if report["missing"] or len(report["areas"]) != count * fleet.areas:
                raise RuntimeError(f"fleet report: {len(report['missing'])} missing, {len(report['areas'])} rows")
        finally:
            fleet.close()
    return {"fleet_status_s": status_s, "fleet_faults_s": faults_s, "fleet_report_s": report_s}


def round_trip(samples=200):
    # The shipped broker settings (deploy/mosquitto/platform.conf): without set_tcp_nodelay
    # mosquitto holds each answer behind its PUBACK for the client's delayed ACK (+40 ms).
    with Mosquitto(extra="set_tcp_nodelay true\n") as broker, tempfile.TemporaryDirectory(prefix="lykta-bench-ops-") as d:
        config = write_config(d, minimal_config(broker.port, os.path.join(d, "lykta.db"), gateway_id="bench-gw",
                                                mqtt_extra="  rate_limit_per_s: 1000"))
        with Lyktad(config), Observer(broker.port, topics=("lykta/bench-gw/status",)) as observer:
            observer.wait_for("lykta/bench-gw/status", lambda p: p and p.get("state") == "online")
            argv = [CTL, "--broker", broker.uri, "--gateway", "bench-gw", "call", "schedule/get"]
            times = [timed(argv)[0] * 1000 for _ in range(50)]
            p = subprocess.run(argv + ["--repeat", str(samples + 1)], capture_output=True, text=True, timeout=120)
            m = re.search(r"p50 ([\d.]+) ms, p99 ([\d.]+) ms", p.stderr)
            if not m:
                raise RuntimeError(f"call --repeat: {p.stderr[-300:]}")
            # The process's own start (no broker, no request) for comparison.
            start = [timed([CTL, "--version"])[0] * 1000 for _ in range(50)]
    return {"remote_rtt_p50_ms": float(m.group(1)), "remote_rtt_p99_ms": float(m.group(2)),
            "remote_process_p50_ms": percentile(times, 50), "remote_process_p99_ms": percentile(times, 99),
            "ctl_start_p50_ms": percentile(start, 50)}


if __name__ == "__main__":
    if not shutil.which("mosquitto") and not os.path.exists("/usr/sbin/mosquitto"):
        raise SystemExit("mosquitto is not installed")
    figures = {}
    figures.update(fleet_figures())
    figures.update(round_trip())
    emit(**figures)
