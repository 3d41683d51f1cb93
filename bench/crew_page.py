#!/usr/bin/python3
"""The crew page's budget (docs/crew-page.md): lyktad at the size of a large
cabinet (16 DALI buses x 64 simulated gear, as bench/daemon.py, without
the Modbus devices) started twice, once without and once with an `http:`
section. For each: RSS, private memory, threads and idle CPU once all 1,024
luminaire states are out and the start-up work is over; with the page on,
also the overview page load over loopback: index.html, app.js, style.css,
/api/session and /api/overview (1,024 luminaires with their states and
locations) one after another on one keep-alive connection, as a browser that
has the session cookie does, timed from the first request to the last byte.
Prints RESULT lines; asserts nothing. Loopback only; every wait has a deadline.
Usage: LYKTA_BIN=build-bench/bin bench/crew_page.py [--loads N] [--idle S]"""
import argparse
import http.client
import json
import os
import subprocess
import tempfile
import threading
import time

from common import Client, cpu_seconds, emit, lit_site_yaml, median, percentile, private_kib, rss_kib, smaps_kib
from harness import Lyktad, Mosquitto, Sim, free_port, minimal_config, write_config

BUSES, GEAR = 16, 64


def config_text(broker_port, store, dali_ports, http_section):
    buses = "\n".join(f'    - {{ id: bus{i}, interface: "foxtron://127.0.0.1:{p}" }}' for i, p in enumerate(dali_ports))
    # Every luminaire with a location: the map's worst case.
    lums = "\n".join(
        f'  - {{ id: "B{i}-{n:02}", bus: bus{i}, address: {n}, area: a{i},'
        f' location: {{ lat: {59.30 + i * 0.001:.4f}, lon: {18.00 + n * 0.0002:.4f}, street: "Gata {i}" }} }}'
        for i in range(BUSES) for n in range(GEAR))
    areas = "\n".join(f"  - {{ id: a{i}, profile: p, dali_groups: {{ bus{i}: 1 }} }}" for i in range(BUSES))
    extra = http_section + lit_site_yaml(buses, lums, areas)
    return minimal_config(broker_port, store, gateway_id="bench-gw", extra=extra).replace("level: debug", "level: warn")


def mappings_kib(pid):
    """{mapping name: (Rss, Private, Shared)} in KiB, one entry per file."""
    return {k: (v["Rss"], v["Private_Clean"] + v["Private_Dirty"], v["Shared_Clean"] + v["Shared_Dirty"])
            for k, v in smaps_kib(pid).items()}


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def page_load(port, cookie):
    """(seconds from the first request to the last byte of the overview's five
    requests, bytes, seconds of /api/overview alone)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    t0 = time.monotonic()
    size = 0
    api = 0
    for path in ("/", "/app.js", "/style.css", "/api/session", "/api/overview"):
        t = time.monotonic()
        conn.request("GET", path, headers={"Cookie": cookie})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"{path}: {r.status} {body[:200]!r}")
        size += len(body)
        api = time.monotonic() - t
    took = time.monotonic() - t0
    conn.close()
    return took, size, api


def run(bin_dir, with_http, loads, idle_s, mappings=None):
    prefix = "lykta/bench-gw"
    with tempfile.TemporaryDirectory(prefix="lykta-bench-crew-") as d, Mosquitto() as broker:
        sims = [Sim("dali", "--listen", "127.0.0.1:0", "--gear", str(GEAR)) for _ in range(BUSES)]
        try:
            ports = [int(s.read_line("listening ").rsplit(":", 1)[1]) for s in sims]
            section, port = "", None
            if with_http:
                users = os.path.join(d, "users")
                subprocess.run([os.path.join(bin_dir, "lyktactl"), "http", "passwd", "bench", "--file", users],
                               input="bench-password\n", text=True, check=True, capture_output=True, timeout=30)
                port = free_port()
                section = f"http:\n  listen: 127.0.0.1:{port}\n  users_file: {users}\n"
            path = write_config(d, config_text(broker.port, os.path.join(d, "lykta.db"), ports, section))
            client = Client(broker.port, (f"{prefix}/luminaire/+/state",), f"bench-crew-{with_http}")
            lock = threading.Lock()
            states = set()

            def on_message(msg, t):
                with lock:
                    states.add(msg.topic)
            client.hooks.append(on_message)
            with Lyktad(path) as lyktad:
                pid = lyktad.proc.pid
                deadline = time.monotonic() + 90
                while time.monotonic() < deadline:
                    with lock:
                        if len(states) >= BUSES * GEAR:
                            break
                    time.sleep(0.05)
                # Start-up work ends by itself: wait for a quiet second (at most 40 s).
                settle = time.monotonic() + 40
                while time.monotonic() < settle:
                    c, w = cpu_seconds(pid), time.monotonic()
                    time.sleep(1)
                    if (cpu_seconds(pid) - c) / (time.monotonic() - w) < 0.01:
                        break
                c0, w0 = cpu_seconds(pid), time.monotonic()
                time.sleep(idle_s)
                idle = (cpu_seconds(pid) - c0) / (time.monotonic() - w0) * 100
                tag = "on" if with_http else "off"
                emit(**{f"http_{tag}_rss_mb": rss_kib(pid) / 1024, f"http_{tag}_uss_mb": private_kib(pid) / 1024,
                        f"http_{tag}_threads": threads(pid), f"http_{tag}_idle_cpu_pct": idle,
                        f"http_{tag}_states": len(states)})
                if mappings is not None:
                    mappings[tag] = mappings_kib(pid)
                if with_http:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    conn.request("POST", "/api/login", json.dumps({"user": "bench", "password": "bench-password"}),
                                 {"Content-Type": "application/json"})
                    r = conn.getresponse()
                    r.read()
                    cookie = r.getheader("Set-Cookie").split(";", 1)[0]
                    conn.close()
                    times, apis, size = [], [], 0
                    for _ in range(loads):
                        took, size, api = page_load(port, cookie)
                        times.append(took * 1000)
                        apis.append(api * 1000)
                    emit(overview_load_p50_ms=median(times), overview_load_p95_ms=percentile(times, 95),
                         overview_api_p50_ms=median(apis),
                         overview_load_max_ms=max(times), overview_bytes=size, overview_loads=len(times),
                         http_on_rss_after_loads_mb=rss_kib(pid) / 1024)
            client.close()
        finally:
            for s in sims:
                s.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loads", type=int, default=30)
    ap.add_argument("--idle", type=float, default=10)
    ap.add_argument("--only-on", action="store_true", help="skip the run without http:")
    ap.add_argument("--mappings", action="store_true",
                    help="print where RSS goes, per mapping, off vs on (from /proc/PID/smaps)")
    args = ap.parse_args()
    mappings = {} if args.mappings else None
    print(f"load: {open('/proc/loadavg').read().strip()} (other work on the machine skews times)", flush=True)
    bin_dir = os.environ["LYKTA_BIN"]  # harness.py reads it at import (common.py's default: build-bench/bin)
    if not args.only_on:
        run(bin_dir, False, args.loads, args.idle, mappings)
    run(bin_dir, True, args.loads, args.idle, mappings)
    if mappings and "off" in mappings:
        print_mappings(mappings["off"], mappings["on"])


def print_mappings(off, on):
    """The mappings whose RSS differs between the two runs, largest first."""
    rows = []
    for name in set(off) | set(on):
        a, b = off.get(name, (0, 0, 0)), on.get(name, (0, 0, 0))
        if a != b:
            rows.append((b[0] - a[0], name, a, b))
    print(f"{'mapping':32} {'RSS off':>8} {'RSS on':>8} {'diff':>7} {'priv on':>8} {'shared on':>9}  (KiB)")
    for diff, name, a, b in sorted(rows, key=lambda r: -abs(r[0])):
        print(f"{name:32} {a[0]:8} {b[0]:8} {diff:+7} {b[1]:8} {b[2]:9}")
    total = sum(r[0] for r in rows)
    print(f"{'total':32} {'':8} {'':8} {total:+7}")


if __name__ == "__main__":
    main()
