#!/usr/bin/python3
"""Where the footprint RSS of bench/daemon.py lives, mapping by mapping: runs
daemon.py's footprint scenario (16 x 64 gear, 4 Modbus devices, the same
config and waits) up to the point where it reads RSS, reads /proc/PID/smaps
there, prints one row per mapped file (and [heap], [stack], [anon]) in KiB,
the daemon's own binary split into text, read-only data and relocated data,
and stops: the figures after the RSS read (round trips, republish, commands)
are daemon.py's. --json writes the rows, for comparing builds. Asserts nothing.
Usage: LYKTA_BIN=<bin dir> /usr/bin/python3 bench/footprint_mappings.py [--json FILE]"""
import argparse
import json
import sys

import daemon
from common import SMAPS_FIELDS, smaps_kib


class Captured(Exception):
    """Ends daemon.run() right after the footprint reading."""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", help="write {rss_kib, uss_kib, mappings} here")
    ap.add_argument("--idle-s", type=float, default=10, help="as daemon.py's --idle-s")
    a = ap.parse_args()
    seen = {}
    measure_rss = daemon.rss_kib

    def rss_and_mappings(pid):
        rss = measure_rss(pid)
        seen.update(rss_kib=rss, uss_kib=daemon.private_kib(pid), mappings=smaps_kib(pid, split=("lyktad",)))
        return rss

    def stop_after_footprint(**figures):
        print(" ".join(f"{k}={v}" for k, v in figures.items()), file=sys.stderr)
        if "rss_mb" in figures:
            raise Captured()

    daemon.rss_kib = rss_and_mappings
    daemon.emit = stop_after_footprint
    try:
        daemon.run(a.idle_s, 0, daemon.SHIPPED_BROKER, 0)
    except Captured:
        pass
    if not seen:
        sys.exit("the daemon never reached the footprint reading")
    print(f"{'mapping':32} " + " ".join(f"{f:>13}" for f in SMAPS_FIELDS))
    for name, v in sorted(seen["mappings"].items(), key=lambda kv: -kv[1]["Rss"]):
        print(f"{name[:32]:32} " + " ".join(f"{v[f]:13}" for f in SMAPS_FIELDS))
    print(f"RSS {seen['rss_kib']} KiB, USS {seen['uss_kib']} KiB")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(seen, f, indent=1)


if __name__ == "__main__":
    main()
