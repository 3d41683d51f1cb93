#!/usr/bin/python3
"""The whole daemon at the size of a large cabinet: lyktad with 16 DALI buses x
64 simulated gear (one `lykta-sim dali` process per bus, fast mode, Foxtron over
loopback TCP), 4 Modbus devices (two `lykta-sim modbus` processes, each an
SDM630 and a relay/DI module), an area per bus with a profile, and a private
mosquitto. Measures start -> online, start -> all 1,024 luminaire states, RSS,
CPU during the first sweep and at idle, request -> response round trips,
`republish` of all retained state, and MQTT command -> first DALI frame on the
bus (`luminaire/set`, timed from publish to the CLOCK_MONOTONIC stamp bus0's
simulator writes into its frame log). Prints RESULT lines; asserts nothing."""
import argparse
import json
import os
import tempfile
import threading
import time

from common import Client, cpu_seconds, emit, lit_site_yaml, percentile, private_kib, rss_kib
from harness import Lyktad, Mosquitto, Sim, SOURCE, minimal_config, write_config

BUSES, GEAR = 16, 64
# What deploy/mosquitto/platform.conf and cabinet-bridge.conf set: Nagle off, and
# a per-subscriber queue that holds a whole republish (1,024 states + areas +
# meters; mosquitto's default of 1,000 drops the tail when this Python client
# lags on a loaded machine).
SHIPPED_BROKER = "set_tcp_nodelay true\nmax_queued_messages 10000\n"


def config_text(broker_port, store, dali_ports, modbus_ports):
    buses = "\n".join(f'    - {{ id: bus{i}, interface: "foxtron://127.0.0.1:{p}" }}'
                      for i, p in enumerate(dali_ports))
    lums = "\n".join(f'  - {{ id: "B{i}-{{n:02}}", bus: bus{i}, addresses: 0..{GEAR - 1}, first: 0, area: a{i} }}'
                     for i in range(BUSES))
    areas = "\n".join(f"  - {{ id: a{i}, profile: p, dali_groups: {{ bus{i}: 1 }} }}" for i in range(BUSES))
    nets = "\n".join(f"    - {{ id: m{i}, type: tcp, host: 127.0.0.1, port: {p} }}"
                     for i, p in enumerate(modbus_ports))
    devices = "\n".join(
        f"    - {{ id: meter{i}, network: m{i}, unit: 1, template: sdm630, poll_s: 10, areas: [a{i}] }}\n"
        f"    - {{ id: io{i}, network: m{i}, unit: 2, template: relay-di-8, poll_s: 1 }}"
        for i in range(len(modbus_ports)))
    extra = lit_site_yaml(buses, lums, areas) + f"""modbus:
  template_dirs: [{os.path.join(SOURCE, "config/templates")}]
  networks:
{nets}
  devices:
{devices}
"""
    return minimal_config(broker_port, store, gateway_id="bench-gw", extra=extra).replace("level: debug",
                                                                                           "level: warn")


def frames_after(path, offset):
    """(new offset, [(monotonic s, line)]) for the complete lines past `offset`."""
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    end = data.rfind(b"\n") + 1
    out = []
    for line in data[:end].decode(errors="replace").splitlines():
        stamp = line.rsplit("@", 1)
        if len(stamp) == 2:
            try:
                out.append((float(stamp[1]), line))
            except ValueError:
                pass
    return offset + end, out


def command_to_first_frame(client, prefix, frame_log, commands):
    """`luminaire/set` on B0-00 (short address 0 on bus0), alternating levels so
    every command changes the target; each latency is publish -> the first frame
    addressed to short 0 that is not a query (the command's own frame; the sweeps
    only query). The response (after the read-back) ends each round."""
    latencies = []
    offset = os.path.getsize(frame_log) if os.path.exists(frame_log) else 0
    for i in range(commands):
        level = 30 if i % 2 else 70
        # At most 25 commands/s: under the daemon's request rate limit (50/s), so
        # none is refused, and each starts on an idle loop.
        time.sleep(max(0.0, 0.04 - (time.monotonic() - t0)) if i else 0)
        t0 = time.monotonic()
        rid = f"first-frame-{i}"
        client.send(prefix, "luminaire/set", {"luminaire": "B0-00", "level": level}, rid)
        answer = client.wait_answer(rid, 10)
        if answer is None or b'"ok"' not in answer[2]:
            continue
        offset, lines = frames_after(frame_log, offset)
        hits = [t for t, line in lines if t >= t0 and "short 0" in line and "QUERY" not in line]
        if hits:
            latencies.append((min(hits) - t0) * 1000)
    return latencies


def run(idle_s, requests, broker_extra, commands):
    prefix = "lykta/bench-gw"
    sims = []
    with tempfile.TemporaryDirectory(prefix="lykta-bench-daemon-") as d, Mosquitto(extra=broker_extra) as broker:
        try:
            frame_log = os.path.join(d, "bus0.frames")
            sims = [Sim("dali", "--listen", "127.0.0.1:0", "--gear", str(GEAR),
                        *(("--frame-log", frame_log) if i == 0 else ())) for i in range(BUSES)]
            modbus = [Sim("modbus", "--listen", "127.0.0.1:0") for _ in range(2)]
            sims += modbus
            dali_ports = [int(s.read_line("listening ").rsplit(":", 1)[1]) for s in sims[:BUSES]]
            modbus_ports = [int(s.read_line("listening ").rsplit(":", 1)[1]) for s in modbus]
            path = write_config(d, config_text(broker.port, os.path.join(d, "lykta.db"), dali_ports, modbus_ports))

            client = Client(broker.port, (f"{prefix}/#",), "bench-daemon")
            lock = threading.Lock()
            seen = {"online": None, "states": {}, "after": None, "energy": set()}

            def on_message(msg, t):
                with lock:
                    if msg.topic == f"{prefix}/status" and b'"online"' in msg.payload and seen["online"] is None:
                        seen["online"] = t
                    elif msg.topic.endswith("/state") and "/luminaire/" in msg.topic:
                        seen["states"].setdefault(msg.topic, t)
                        if b'"energy_wh"' in msg.payload:
                            seen["energy"].add(msg.topic)
                        if seen["after"] is not None:
                            seen["after"].setdefault(msg.topic, t)
            client.hooks.append(on_message)

            t0 = time.monotonic()
            with Lyktad(path) as lyktad:
                pid = lyktad.proc.pid
                deadline = t0 + 60
                while time.monotonic() < deadline:
                    with lock:
                        if seen["online"] and len(seen["states"]) >= BUSES * GEAR:
                            break
                    if not lyktad.running():
                        raise RuntimeError("lyktad exited: " + lyktad.stderr()[-2000:])
                    time.sleep(0.01)
                t_all = time.monotonic()
                cpu_first = cpu_seconds(pid)
                with lock:
                    online_ms = (seen["online"] - t0) * 1000 if seen["online"] else None
                    n_states = len(seen["states"])
                    last_state = max(seen["states"].values()) if seen["states"] else None
                emit(online_ms=online_ms, states=n_states,
                     all_states_ms=(last_state - t0) * 1000 if n_states >= BUSES * GEAR else None,
                     start_cpu_pct=cpu_first / (t_all - t0) * 100)

                # Start-up work (fail-safe programming of 1,024 gear, the first energy
                # read a few seconds after start) ends by itself: wait for the energy
                # figures of every luminaire, then for a quiet second; at most 30 s.
                settle_deadline = time.monotonic() + 30
                while time.monotonic() < settle_deadline:
                    with lock:
                        if len(seen["energy"]) >= BUSES * GEAR:
                            break
                    time.sleep(0.1)
                while time.monotonic() < settle_deadline:
                    c, w = cpu_seconds(pid), time.monotonic()
                    time.sleep(1)
                    if (cpu_seconds(pid) - c) / (time.monotonic() - w) < 0.01:
                        break
                emit(settled_after_s=time.monotonic() - t0)
                c0, w0 = cpu_seconds(pid), time.monotonic()
                time.sleep(idle_s)
                idle = (cpu_seconds(pid) - c0) / (time.monotonic() - w0) * 100
                emit(rss_mb=rss_kib(pid) / 1024, uss_mb=private_kib(pid) / 1024, idle_cpu_pct=idle, idle_window_s=idle_s)

                rtts = []
                for _ in range(requests):
                    rtt = client.request(prefix, "modbus/write", {"device": "no-such-device"})
                    if rtt is not None:
                        rtts.append(rtt * 1000)
                if rtts:
                    emit(rtt_p50_ms=percentile(rtts, 50), rtt_p99_ms=percentile(rtts, 99), rtt_n=len(rtts))

                # The round trips above spend the daemon's request budget (50/s,
                # bucket of 50): let it refill, or `republish` is refused (too_busy).
                time.sleep(1.1)
                with lock:
                    seen["after"] = {}
                t1 = time.monotonic()
                rid = "republish-bench"
                client.send(prefix, "republish", {}, rid)
                answer = client.wait_answer(rid, 30)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    with lock:
                        if len(seen["after"]) >= BUSES * GEAR:
                            break
                    time.sleep(0.005)
                with lock:
                    got = len(seen["after"])
                    last = max(seen["after"].values()) if seen["after"] else None
                try:
                    topics = json.loads(answer[2])["data"]["topics"] if answer else None
                except (ValueError, KeyError, TypeError):
                    topics = None
                emit(republish_states=got, republish_ms=(last - t1) * 1000 if got >= BUSES * GEAR else None,
                     republish_answered=answer is not None, republish_topics=topics,
                     republish_refused=answer is not None and b'"error"' in answer[2])
                cpu_before = cpu_seconds(pid)
                first = command_to_first_frame(client, prefix, frame_log, commands)
                if first:
                    # The daemon's CPU per command (whole process, sweeps included):
                    # steadier than wall-clock latency on shared cores.
                    emit(first_frame_p50_ms=percentile(first, 50), first_frame_p99_ms=percentile(first, 99),
                         first_frame_n=len(first),
                         cpu_ms_per_command=(cpu_seconds(pid) - cpu_before) * 1000 / commands)
            client.close()
        finally:
            for s in sims:
                s.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--idle-s", type=float, default=10)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--commands", type=int, default=200, help="luminaire/set commands for command -> first frame")
    ap.add_argument("--stock-broker", action="store_true",
                    help="mosquitto at its defaults: Nagle on (+40 ms per answer) and a queue of 1,000 "
                         "messages per subscriber (a lagging bench client loses part of a republish)")
    a = ap.parse_args()
    run(a.idle_s, a.requests, "" if a.stock_broker else SHIPPED_BROKER, a.commands)
