"""Shared pieces of the benchmark scripts: process accounting from /proc, an
event-driven MQTT requester (no polling, so latencies are not quantised by a
sleep interval), and percentiles. Loopback only; every wait has a deadline."""
import json
import os
import socket
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
os.environ.setdefault("LYKTA_BIN", os.path.join(ROOT, "build-bench", "bin"))
os.environ.setdefault("LYKTA_SOURCE", ROOT)

import paho.mqtt.client as mqtt  # noqa: E402


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc/PID/stat (fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def private_kib(pid):
    """Memory only this process holds (USS: private clean + dirty pages), from
    /proc/PID/smaps_rollup; RSS also counts library pages shared with others."""
    total = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total


SMAPS_FIELDS = ("Rss", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "Anonymous")
SEGMENTS = {"r-xp": "text", "r--p": "read-only", "rw-p": "data"}


def smaps_kib(pid, split=()):
    """{mapping name: {field: KiB}} from /proc/PID/smaps (proc(5)) for the
    fields in SMAPS_FIELDS: one entry per file (its segments summed; the files
    named in `split` one entry per segment, "name text" etc.) plus [heap],
    [stack] and [anon]; mappings without resident pages left out."""
    out = {}
    name = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split()
            if "-" in head[0] and not head[0].endswith(":"):
                name = os.path.basename(head[5]) if len(head) > 5 else "[anon]"
                if name in split:
                    name = f"{name} {SEGMENTS.get(head[1], head[1])}"
                out.setdefault(name, dict.fromkeys(SMAPS_FIELDS, 0))
            elif head[0][:-1] in SMAPS_FIELDS:
                out[name][head[0][:-1]] += int(head[1])
    return {k: v for k, v in out.items() if v["Rss"]}


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(round(p / 100 * len(ordered) + 0.5))))
    return ordered[rank - 1]


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def gateway_config(d, gw, uris, sim_port, heartbeat_s, gear=4, luminaire="L-{n}", area="area1", subscribe_qos=None):
    """Writes d/<gw>/lykta.yaml for one real gateway of the fleet benchmarks and
    returns its path: a Foxtron bus on the `lykta-sim dali` at `sim_port` with
    `gear` luminaires in one area (`luminaire`: the id pattern), `mqtt.uri`
    listing `uris` (one broker, or every node of a cluster), `mqtt.subscribe_qos`
    when given, log level info."""
    from harness import minimal_config, write_config
    extra = f"""
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{sim_port}" }}
luminaires:
  - {{ id: "{luminaire}", bus: bus1, addresses: 0..{gear - 1}, area: {area} }}
areas:
  - {{ id: {area}, profile: p, dali_groups: {{ bus1: 1 }} }}
profiles:
  p:
    - {{ at: "sunset", level: 100 }}
    - {{ at: "sunrise", level: 0 }}
"""
    gdir = os.path.join(d, gw)
    os.mkdir(gdir)
    text = minimal_config(1883, os.path.join(gdir, "lykta.db"), gateway_id=gw, extra=extra)
    uri = uris[0] if len(uris) == 1 else "[" + ", ".join(uris) + "]"
    text = text.replace("  uri: tcp://127.0.0.1:1883\n", f"  uri: {uri}\n"
                        + (f"  subscribe_qos: {subscribe_qos}\n" if subscribe_qos is not None else ""))
    text = text.replace("heartbeat_s: 60", f"heartbeat_s: {heartbeat_s}").replace("level: debug", "level: info")
    return write_config(gdir, text)


def lit_site_yaml(buses, luminaires, areas):
    """The DALI part of a benchmark cabinet: buses, luminaires and areas as YAML
    list items, and the one evening profile every benchmark site runs."""
    return f"""
dali:
  buses:
{buses}
luminaires:
{luminaires}
areas:
{areas}
profiles:
  p:
    - {{ at: "sunset", level: 100 }}
    - {{ at: "22:00", level: 60 }}
    - {{ at: "sunrise", level: 0 }}
"""


def emit(**figures):
    """One machine-readable result line for bench/table.py."""
    print("RESULT " + json.dumps(figures), flush=True)


class Client:
    """A paho client that wakes waiters on arrival instead of polling.

    `on_message(msg, t)` hooks see every message with its arrival time
    (time.monotonic()); `request()` times one request/response round trip."""

    def __init__(self, port, topics, client_id, protocol=mqtt.MQTTv311, shared=False):
        self.cond = threading.Condition()
        self.answers = {}
        self.hooks = []
        kwargs = {} if protocol == mqtt.MQTTv5 else {"clean_session": True}
        self.client = mqtt.Client(client_id=client_id, protocol=protocol, **kwargs)
        self.client.on_message = self._on_message
        connected = threading.Event()
        self.client.on_connect = lambda *a: connected.set()
        # paho-mqtt 1.6 leaves Nagle on: a PUBACK followed by the next request would
        # wait for the broker's delayed ACK (40 ms on Linux) and be measured as latency.
        self.client.on_socket_open = lambda c, u, sock: sock.setsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        subscribed = threading.Event()
        self.client.on_subscribe = lambda *a: subscribed.set()
        self.client.connect("127.0.0.1", port, keepalive=60)
        self.client.loop_start()
        if not connected.wait(15):
            raise RuntimeError(f"cannot connect to 127.0.0.1:{port}")
        self.client.subscribe([(t, 1) for t in topics])
        if not subscribed.wait(15):
            raise RuntimeError(f"subscription to {topics} not acknowledged")

    def _on_message(self, client, userdata, msg):
        t = time.monotonic()
        for hook in self.hooks:
            hook(msg, t)
        if "/response/" in msg.topic:
            try:
                rid = json.loads(msg.payload).get("id")
            except (ValueError, AttributeError):
                return
            with self.cond:
                self.answers[rid] = (msg.topic, t, msg.payload)
                self.cond.notify_all()

    def send(self, prefix, command, args, rid):
        self.client.publish(f"{prefix}/request/{command}", json.dumps(dict(args, id=rid)), qos=1)

    def wait_answer(self, rid, timeout=10):
        with self.cond:
            if not self.cond.wait_for(lambda: rid in self.answers, timeout):
                return None
            return self.answers.pop(rid)

    def request(self, prefix, command, args, timeout=10):
        """Round trip in seconds (publish → response arrival), or None at the deadline."""
        rid = f"b-{time.monotonic_ns()}"
        t0 = time.monotonic()
        self.send(prefix, command, args, rid)
        got = self.wait_answer(rid, timeout)
        return None if got is None else got[1] - t0

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()
