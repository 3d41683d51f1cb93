"""Soak run (scripts/soak.sh N_MINUTES): broker + DALI and Modbus simulators +
lyktad, driven with random requests (valid, invalid, oversized), DALI faults
(lamp/gear failure, missing gear, lost answers, collisions, level changes),
Modbus units going offline and back, and broker restarts. Every few seconds it
samples the daemon's RSS, CPU and open fds; at the end it prints the table and
the least-squares RSS slope in KB/min over the second half (after warm-up).
Not a ctest: it runs for minutes. Exit status 1 if the daemon died."""
import json
import os
import random
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import SOURCE, Lyktad, Mosquitto, Observer, Sim, minimal_config, write_config  # noqa: E402

P = "lykta/soak-gw"
TICK = os.sysconf("SC_CLK_TCK")


class Control:
    def __init__(self, port):
        self.file = socket.create_connection(("127.0.0.1", port), timeout=10).makefile("rw")

    def __call__(self, line):
        self.file.write(line + "\n")
        self.file.flush()
        return self.file.readline().strip()


def sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu_ticks = int(fields[11]) + int(fields[12])  # utime + stime
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, cpu_ticks, fds


def slope(points):
    """Least squares of (minutes, KB) -> KB/min."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else 0.0


def main():
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 3
    interval = float(os.environ.get("LYKTA_SOAK_SAMPLE_S", "5"))
    rng = random.Random(int(os.environ.get("LYKTA_SEED", "1")))
    work = tempfile.mkdtemp(prefix="lykta-soak-")
    broker = Mosquitto()
    dali = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "16", "--control", "127.0.0.1:0")
    dali_port = int(dali.read_line("listening ").rsplit(":", 1)[1])
    dali_ctl = Control(int(dali.read_line("control ").rsplit(":", 1)[1]))
    modbus = Sim("modbus", "--listen", "127.0.0.1:0")
    modbus_port = int(modbus.read_line("listening ").rsplit(":", 1)[1])
    modbus_ctl = Control(int(modbus.read_line("control ").rsplit(":", 1)[1]))
    templates = os.path.join(SOURCE, "config/templates")
    extra = f"""
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{dali_port}", sweep_s: 1, energy_sweep_s: 5 }}
luminaires:
  - {{ id: "L-{{n}}", bus: bus1, addresses: 0..15, first: 1, area: torget }}
areas:
  - {{ id: torget, profile: centrum, dali_groups: {{ bus1: 1 }} }}
profiles:
  centrum:
    - {{ at: "sunset", level: 100 }}
    - {{ at: "sunrise", level: 0 }}
modbus:
  template_dirs: [{templates}]
  networks:
    - {{ id: lan, type: tcp, host: 127.0.0.1, port: {modbus_port} }}
  devices:
    - {{ id: meter1, network: lan, unit: 1, template: sdm630, poll_s: 1, full_publish_s: 10 }}
    - {{ id: io1, network: lan, unit: 2, template: relay-di-8, poll_s: 1, offline_after: 2 }}
"""
    config = write_config(work, minimal_config(broker.port, os.path.join(work, "lykta.db"),
                                               gateway_id="soak-gw", extra=extra).replace("level: debug", "level: info"))
    daemon = Lyktad(config)
    platform = Observer(broker.port, [f"{P}/status", f"{P}/response/#"])
    platform.wait_for(f"{P}/status", lambda p: p and p.get("state") == "online", timeout=30)

    actions = [
        lambda: platform.client.publish(f"{P}/request/republish", json.dumps({"id": rng.random()}), qos=1),
        lambda: platform.client.publish(f"{P}/request/luminaire/set", json.dumps(
            {"id": 1, "luminaire": f"L-{rng.randint(1, 16)}", "level": rng.randint(0, 100)}), qos=1),
        lambda: platform.client.publish(f"{P}/request/nope", b"{not json", qos=1),
        lambda: platform.client.publish(f"{P}/request/republish", b"x" * 70000, qos=1),
        lambda: dali_ctl(f"lamp-failure {rng.randint(0, 15)} {rng.choice(['on', 'off'])}"),
        lambda: dali_ctl(f"gear-failure {rng.randint(0, 15)} {rng.choice(['on', 'off'])}"),
        lambda: dali_ctl(f"missing {rng.randint(0, 15)} {rng.choice(['on', 'off'])}"),
        lambda: dali_ctl(f"set-level {rng.randint(0, 15)} {rng.randint(0, 254)}"),
        lambda: dali_ctl(f"no-answer-rate {rng.choice([0, 0, 0.05, 0.2])}"),
        lambda: dali_ctl(f"collision-rate {rng.choice([0, 0, 0.05])}"),
        lambda: modbus_ctl(f"{rng.choice(['offline', 'online'])} {rng.randint(1, 2)}"),
    ]
    pid = daemon.proc.pid
    start = time.monotonic()
    end = start + minutes * 60
    rows = []
    last_cpu, last_t = sample(pid)[1], start
    next_sample = start
    next_broker_restart = start + 45
    print(f"soak: {minutes} min, pid {pid}, sampling every {interval}s", flush=True)
    print(f"{'t_s':>6} {'rss_kb':>8} {'cpu_%':>6} {'fds':>4}", flush=True)
    while time.monotonic() < end:
        if not daemon.running():
            print("soak: lyktad died\n" + daemon.stderr()[-3000:])
            return 1
        rng.choice(actions)()
        now = time.monotonic()
        if now >= next_broker_restart:
            broker.restart()
            next_broker_restart = now + 45
        if now >= next_sample:
            rss, cpu, fds = sample(pid)
            cpu_pct = 100.0 * (cpu - last_cpu) / TICK / max(now - last_t, 1e-6)
            last_cpu, last_t = cpu, now
            rows.append((now - start, rss, cpu_pct, fds))
            print(f"{now - start:6.0f} {rss:8d} {cpu_pct:6.1f} {fds:4d}", flush=True)
            next_sample += interval
        time.sleep(rng.uniform(0.01, 0.1))
    half = [(t / 60, rss) for t, rss, _, _ in rows if t >= (end - start) / 2]
    print(f"soak: RSS {rows[0][1]} -> {rows[-1][1]} KB, slope over the second half "
          f"{slope(half):+.1f} KB/min, whole run {slope([(t / 60, r) for t, r, _, _ in rows]):+.1f} KB/min; "
          f"fds {min(r[3] for r in rows)}..{max(r[3] for r in rows)}; "
          f"mean CPU {sum(r[2] for r in rows[1:]) / max(len(rows) - 1, 1):.1f} %")
    code = 0 if daemon.running() else 1
    for p in (daemon, dali, modbus, broker):
        p.stop()
    platform.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
