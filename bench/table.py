#!/usr/bin/python3
"""Runs every benchmark RUNS times, takes medians and prints one table:
figure | measured | reference or target | ratio. A figure that could not be
produced says why instead of showing a number. Loopback only; each child has a
timeout. Usage: table.py [--runs N] [--bin DIR] [--markdown FILE]"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

from common import ROOT, median

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"


def run(argv, timeout, env=None):
    """stdout of argv, or raises with the tail of its output."""
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                       env=dict(os.environ, **(env or {})))
    if p.returncode != 0:
        raise RuntimeError(f"{os.path.basename(argv[0])} exited {p.returncode}: {(p.stderr or p.stdout)[-400:]}")
    return p.stdout


def results(text):
    merged = {}
    for line in text.splitlines():
        if line.startswith("RESULT "):
            merged.update(json.loads(line[7:]))
    return merged


def grab(pattern, text, group=1):
    m = re.search(pattern, text, re.M)
    return float(m.group(group)) if m else None


def dali(bin_dir):
    out = run([f"{bin_dir}/dali_bench"], 120)
    return {
        "health_s": grab(r"healthy-bus check:\s+([\d.]+) s", out),
        "health_frames": grab(r"healthy-bus check:\s+[\d.]+ s,\s+(\d+) frames", out),
        "health_floor_s": grab(r"healthy-bus check:.*physical floor ([\d.]+) s", out),
        "sweep_s": grab(r"status sweep, no failures:\s+([\d.]+) s", out),
        "sweep_frames": grab(r"status sweep, no failures:\s+[\d.]+ s,\s+(\d+) frames", out),
        "sweep_floor_s": grab(r"status sweep, no failures:.*physical floor ([\d.]+) s", out),
        "group_frames": grab(r"by group (\d+) frame", out),
        "address_frames": grab(r"per address (\d+) frames", out),
        "group_s": grab(r"each call ([\d.]+) s", out),
        "address_s": grab(r"each call [\d.]+ s / ([\d.]+) s", out),
    }


def commission(bin_dir, gear=64):
    """Commissioning of 64 unaddressed gear in real-time mode (about 3 minutes)."""
    out = run([f"{bin_dir}/dali_bench", "--commission", str(gear)], 900)
    return {"commission_s": grab(r"commissioning:\s+([\d.]+) s", out),
            "commission_frames": grab(r"commissioning:\s+[\d.]+ s,\s+(\d+) frames", out),
            "commission_floor_s": grab(r"commissioning:.*physical floor ([\d.]+) s", out)}


def mqtt_unit(bin_dir):
    out = run([f"{bin_dir}/unit_mqtt", "[.bench]"], 240)
    return {"drain_per_s": grab(r"outbox: drained \d+ in [\d.]+ ms \(([\d.e+]+) msgs/s\)", out),
            "unit_rtt_p99_ms": grab(r"p99 ([\d.]+) ms", out)}


def policy(bin_dir):
    out = run([f"{bin_dir}/unit_policy", "[.bench]"], 240)
    return {"policy_year_s": grab(r"decisions in ([\d.e+-]+) s", out)}


def daemon(bin_dir):
    return results(run([PY, f"{HERE}/daemon.py"], 240, {"LYKTA_BIN": bin_dir}))


def operations(bin_dir):
    """lyktactl: fleet status/faults over 1,000 synthetic gateways, remote round trip (operations.py)."""
    return results(run([PY, f"{HERE}/operations.py"], 600, {"LYKTA_BIN": bin_dir}))


def crew(bin_dir):
    """The crew page's budget: lyktad without and with `http:` (RSS, idle CPU), overview load (crew_page.py)."""
    out = results(run([PY, f"{HERE}/crew_page.py"], 300, {"LYKTA_BIN": bin_dir}))
    if "http_on_rss_mb" in out and "http_off_rss_mb" in out:
        out["http_rss_added_mb"] = out["http_on_rss_mb"] - out["http_off_rss_mb"]
    return out


def groups(bin_dir):
    return results(run([PY, f"{HERE}/groups.py"], 180, {"LYKTA_BIN": bin_dir}))


def modbus(bin_dir):
    """bench_modbus (10 devices, 10 ms refresh) against lykta-sim's libmodbus server
    and against pymodbus 3.0 (an independent server), and the bare libmodbus loop."""
    out = run(["bash", "bench/modbus.sh", bin_dir], 240)
    blocks = re.split(r"\n(?=\S)", out)
    cost = [grab(r"CPU-ms/1000 polls\s+([\d.]+)", b) for b in blocks]
    pps = [grab(r"polls/s\s+([\d.]+)", b) for b in blocks]
    names = [b.split(":", 1)[0] for b in blocks]
    found = {}
    for name, c, p in zip(names, cost, pps):
        if c is None:
            continue
        key = ("py" if "pymodbus" in name else "sim") + ("_floor" if name.startswith("floor") else "")
        if "32 devices" in name:
            continue
        found.setdefault(key + "_cpu_ms", c)
        found.setdefault(key + "_pps", p)
    # modbus.sh runs: sim, sim floor, pymodbus, pymodbus floor: floors follow their server
    order = [(n, c, p) for n, c, p in zip(names, cost, pps) if c is not None and "32 devices" not in n]
    if len(order) >= 4:
        found = {"sim_cpu_ms": order[0][1], "sim_pps": order[0][2], "sim_floor_cpu_ms": order[1][1],
                 "py_cpu_ms": order[2][1], "py_pps": order[2][2], "py_floor_cpu_ms": order[3][1]}
    # then the same two servers with `pipeline: 10` (opt-in per network)
    for name, c, _ in order[4:]:
        if "pipelined" in name:
            found.setdefault(("py" if "pymodbus" in name else "sim") + "_pipelined_cpu_ms", c)
    return found


def collect(fn, bin_dir, runs):
    """Medians of each key over `runs` runs; errors are kept as the reason."""
    samples, errors = {}, []
    for _ in range(runs):
        try:
            for k, v in fn(bin_dir).items():
                if v is not None and not isinstance(v, bool):
                    samples.setdefault(k, []).append(v)
        except Exception as e:  # noqa: BLE001 - a failed benchmark becomes the row's reason
            errors.append(str(e).strip().splitlines()[-1][:160] if str(e).strip() else type(e).__name__)
    med = {k: median(v) for k, v in samples.items()}
    med["_n"] = {k: len(v) for k, v in samples.items()}
    med["_errors"] = errors
    return med


def fmt(v, unit, digits=2):
    return f"{v:.{digits}f} {unit}".strip()


def rows(d, m, p, dm, mb, cm, g, ops=None, crew_page=None):
    """(figure, measured, reference, ratio) tuples; missing numbers say why."""
    out = []

    def why(src, key):
        if src.get("_errors"):
            return "not produced: " + src["_errors"][0]
        return f"not produced: {key} missing from the benchmark's output"

    def add(figure, src, key, unit, ref_text, ref_value=None, digits=2, invert=False, scale=1.0, suffix=""):
        if key not in src:
            out.append((figure, why(src, key), ref_text, "—"))
            return
        v = src[key] * scale
        ratio = "—"
        if ref_value:
            ratio = f"{(ref_value / v if invert else v / ref_value):.2f}×{suffix}"
        out.append((figure, fmt(v, unit, digits), ref_text, ratio))

    floor = d.get("sweep_floor_s")
    add("DALI status sweep, 64 gear, real-time sim", d, "sweep_s", "s",
        f"physical floor {floor:.2f} s (target ≤ 1.1×)" if floor else "physical floor", floor)
    hf = d.get("health_floor_s")
    add("DALI healthy-bus check, 64 gear", d, "health_s", "s",
        (f"floor {hf:.3f} s (2 unanswered queries); " if hf else "") + "per-address sweep ≈ 3.0 s", 3.0, digits=3, invert=True,
        suffix=" faster than per-address")
    if "group_frames" in d and "address_frames" in d:
        out.append(("DALI area change, 32 luminaires: frames by group vs per address",
                    f"{d['group_frames']:.0f} vs {d['address_frames']:.0f} frames",
                    "target 1 frame per bus; typical bridge 1 per luminaire",
                    f"{d['address_frames'] / max(d['group_frames'], 1):.0f}× fewer"))
        out.append(("DALI area change, time incl. read-backs: group vs per address",
                    f"{d.get('group_s', 0):.2f} s vs {d.get('address_s', 0):.2f} s", "per-address call",
                    f"{d['address_s'] / d['group_s']:.2f}× faster" if d.get("group_s") else "—"))
    else:
        add("DALI area change by group", d, "group_frames", "frames", "1 frame per bus")
    cf = cm.get("commission_floor_s")
    add("DALI commissioning, 64 unaddressed gear, real-time sim", cm, "commission_s", "s",
        (f"binary-search floor {cf:.1f} s (target ≤ 1.1×); " if cf else "") + "peers ≈ 2–4 min", cf, digits=1)
    add("DALI bus ready → group membership verified, 64 gear, real-time sim (lyktad)", g, "groups_verified_s", "s",
        "target ≤ 6 s" + (f"; bulk reads before the last group frame: {g['groups_bulk_before']:.0f}"
                          if "groups_bulk_before" in g else ""), 6)
    add("DALI start → bus ready, 64 gear, real-time sim (lyktad)", g, "groups_ready_s", "s", "—")
    add("MQTT command → first DALI frame p50 (luminaire/set, fast sim, 16 buses)", dm, "first_frame_p50_ms", "ms",
        "—")
    add("MQTT command → first DALI frame p99 (luminaire/set, fast sim, 16 buses)", dm, "first_frame_p99_ms", "ms",
        "target ≤ 5 ms", 5)
    add("MQTT request → response p50, real lyktad (16 buses), loopback", dm, "rtt_p50_ms", "ms", "—")
    add("MQTT request → response p99, real lyktad (16 buses), loopback", dm, "rtt_p99_ms", "ms",
        "target ≤ 20 ms", 20)
    add("MQTT request → response p99, MqttLink alone (unit_mqtt bench)", m, "unit_rtt_p99_ms", "ms",
        "target ≤ 20 ms", 20)
    add("republish of 1,024 luminaire states (lyktad, 16 × 64)", dm, "republish_ms", "ms", "target ≤ 1,000 ms",
        1000, digits=0)
    add("outbox drain after an outage (10,000 events)", m, "drain_per_s", "msgs/s", "target ≥ 5,000 msgs/s",
        5000, digits=0)
    add("footprint RSS, 16 × 64 gear + 4 Modbus devices", dm, "rss_mb", "MB",
        "target ≤ 16 MB; mqmgateway ≈ 8 MB for Modbus alone", 16, digits=1)
    add("footprint private memory (USS: RSS without shared library pages)", dm, "uss_mb", "MB", "—", digits=1)
    add("footprint CPU idle (between sweeps)", dm, "idle_cpu_pct", "%", "target ≤ 0.5 %", 0.5)
    add("footprint CPU from start to all states (first sweep of 1,024 gear)", dm, "start_cpu_pct", "%",
        "— (one core = 100 %)")
    add("start → online", dm, "online_ms", "ms", "target ≤ 300 ms", 300, digits=0)
    add("start → all 1,024 luminaire states out", dm, "all_states_ms", "ms", "—", digits=0)
    add("Modbus CPU-ms / 1,000 polls vs lykta-sim (libmodbus server), default", mb, "sim_cpu_ms", "ms",
        "target ≤ 11; mqmgateway 22–25", 11)
    add("Modbus CPU-ms / 1,000 polls vs pymodbus 3.0 (independent), default", mb, "py_cpu_ms", "ms",
        "target ≤ 11; mqmgateway 22–25", 11)
    add("Modbus CPU-ms / 1,000 polls vs lykta-sim, pipeline: 10 (opt-in)", mb, "sim_pipelined_cpu_ms", "ms",
        "target ≤ 11; mqmgateway 22–25", 11)
    add("Modbus CPU-ms / 1,000 polls vs pymodbus 3.0, pipeline: 10 (opt-in)", mb, "py_pipelined_cpu_ms", "ms",
        "target ≤ 11; mqmgateway 22–25", 11)
    if "sim_cpu_ms" in mb and "sim_floor_cpu_ms" in mb:
        out.append(("Modbus driver vs bare libmodbus loop (same server)", fmt(mb["sim_cpu_ms"], "ms"),
                    f"bare loop {mb['sim_floor_cpu_ms']:.2f} ms", f"{mb['sim_cpu_ms'] / mb['sim_floor_cpu_ms']:.2f}×"))
    add("policy: 1,024 luminaires over a simulated year", p, "policy_year_s", "s", "target ≤ 2 s", 2, digits=3)
    ops = ops or {"_errors": ["skipped (--only)"]}
    add("lyktactl fleet status, 1,000 gateways (retained topics)", ops, "fleet_status_s", "s", "target ≤ 2 s", 2)
    add("lyktactl fleet faults, 1,000 gateways (+ faults/list of ~100 with faults)", ops, "fleet_faults_s", "s",
        "target ≤ 2 s", 2)
    add("lyktactl fleet report, 1,000 gateways × 365 days", ops, "fleet_report_s", "s", "target ≤ 60 s", 60)
    add("lyktactl remote verb round trip p99 (MQTT 5, loopback, one connection)", ops, "remote_rtt_p99_ms", "ms",
        "target ≤ 50 ms", 50, digits=1)
    add("lyktactl remote verb round trip p50 (one connection)", ops, "remote_rtt_p50_ms", "ms", "—", digits=2)
    add("lyktactl remote verb, whole process p50 (start, connect, request, disconnect)", ops,
        "remote_process_p50_ms", "ms",
        f"process start alone {ops['ctl_start_p50_ms']:.1f} ms" if "ctl_start_p50_ms" in ops else "—", digits=0)
    cp = crew_page or {"_errors": ["skipped (--only)"]}
    add("crew page on and idle: RSS added over http: off (16 × 64 gear)", cp, "http_rss_added_mb", "MB",
        "target ≤ +2 MB", 2)
    add("crew page overview load p50, 1,024 luminaires, loopback", cp, "overview_load_p50_ms", "ms", "—", digits=1)
    add("crew page overview load p95", cp, "overview_load_p95_ms", "ms", "target ≤ 200 ms", 200, digits=1)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build-bench", "bin"))
    ap.add_argument("--markdown", help="also write the table to FILE")
    ap.add_argument("--only", help="comma list of dali,commission,groups,mqtt,policy,daemon,modbus,operations,crew")
    ap.add_argument("--commission-runs", type=int, default=1,
                    help="runs of the ~3 min commissioning figure (deterministic: one is enough)")
    a = ap.parse_args()
    bin_dir = os.path.abspath(a.bin)
    only = set(a.only.split(",")) if a.only else {"dali", "commission", "groups", "mqtt", "policy", "daemon",
                                                  "modbus", "operations", "crew"}
    parts = {}
    for name, fn in (("dali", dali), ("commission", commission), ("groups", groups), ("mqtt", mqtt_unit),
                     ("policy", policy), ("daemon", daemon), ("modbus", modbus), ("operations", operations),
                     ("crew", crew)):
        if name in only:
            t0 = time.monotonic()
            parts[name] = collect(fn, bin_dir, a.commission_runs if name == "commission" else a.runs)
            print(f"bench: {name} done in {time.monotonic() - t0:.0f} s "
                  f"({a.runs} runs{'; errors: ' + '; '.join(parts[name]['_errors']) if parts[name]['_errors'] else ''})",
                  file=sys.stderr, flush=True)
        else:
            parts[name] = {"_errors": ["skipped (--only)"]}
    table = rows(parts["dali"], parts["mqtt"], parts["policy"], parts["daemon"], parts["modbus"],
                 parts["commission"], parts["groups"], parts["operations"], parts["crew"])
    lines = [f"| figure (median of {a.runs} runs; commissioning {a.commission_runs}) | measured | compared to | ratio |",
             "|---|---|---|---|"]
    lines += [f"| {f} | {v} | {r} | {q} |" for f, v, r, q in table]
    print("\n".join(lines))
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
