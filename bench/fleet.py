#!/usr/bin/python3
"""Fleet simulation: N lyktad instances (gateway ids fleet-000..), each with its
own small `lykta-sim dali` bus, against one private mosquitto on loopback. A
platform of two MQTT v5 workers sharing `$share/platform/...` subscriptions
sends `republish` requests to random gateways and times each round trip; an
auditor subscribed to `lykta/#` counts messages per gateway and checks that no
gateway answers, or publishes state for, anything but its own topics. Bounded:
every wait has a deadline. Prints a report; exits 1 if isolation was violated."""
import argparse
import json
import os
import random
import re
import socket
import sys
import tempfile
import threading
import time

from common import Client, gateway_config, percentile
from harness import Lyktad, Mosquitto, Sim
import paho.mqtt.client as mqtt

GEAR = 4


class Platform:
    """Two v5 clients in one shared-subscription group: the broker hands each
    response to one of them, as a horizontally scaled platform would see it."""

    def __init__(self, port, workers=2):
        self.lock = threading.Lock()
        self.sent = {}          # rid -> (gateway, t_sent)
        self.latency_ms = []
        self.per_worker = [0] * workers
        self.misrouted = []     # (topic, rid): answered on a prefix other than the addressee's
        self.unknown = []
        self.workers = []
        for i in range(workers):
            c = mqtt.Client(client_id=f"platform-{i}", protocol=mqtt.MQTTv5)
            c.on_message = self._receiver(i)
            c.on_socket_open = lambda cl, u, sock: sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            ready = threading.Event()
            c.on_subscribe = lambda *a, ev=ready: ev.set()
            c.connect("127.0.0.1", port, keepalive=60)
            c.loop_start()
            c.subscribe([("$share/platform/lykta/+/response/#", 1), ("$share/platform/lykta/+/event", 1)])
            if not ready.wait(15):
                raise RuntimeError("shared subscription not acknowledged")
            self.workers.append(c)

    def _receiver(self, index):
        def on_message(client, userdata, msg):
            t = time.monotonic()
            if "/response/" not in msg.topic:
                return
            try:
                rid = json.loads(msg.payload).get("id")
            except ValueError:
                rid = None
            gw = msg.topic.split("/")[1]
            with self.lock:
                self.per_worker[index] += 1
                if rid not in self.sent:
                    self.unknown.append((msg.topic, rid))
                    return
                target, t0 = self.sent.pop(rid)
                if target != gw:
                    self.misrouted.append((msg.topic, rid))
                self.latency_ms.append((t - t0) * 1000)
        return on_message

    def request(self, gw, rid):
        with self.lock:
            self.sent[rid] = (gw, time.monotonic())
        self.workers[0].publish(f"lykta/{gw}/request/republish", json.dumps({"id": rid}), qos=1)

    def close(self):
        for c in self.workers:
            c.loop_stop()
            c.disconnect()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("n", type=int, nargs="?", default=50)
    ap.add_argument("--rate", type=float, default=20, help="commands per second across the fleet")
    ap.add_argument("--seconds", type=float, default=30, help="length of the command phase")
    ap.add_argument("--idle-seconds", type=float, default=20, help="length of the idle counting phase")
    ap.add_argument("--heartbeat-s", type=int, default=10)
    ap.add_argument("--stock-broker", action="store_true",
                    help="mosquitto without set_tcp_nodelay (its default: Nagle on, +40 ms per answer)")
    a = ap.parse_args()
    broker_extra = "" if a.stock_broker else "set_tcp_nodelay true\n"
    n = max(1, min(a.n, 500))
    names = [f"fleet-{i:03}" for i in range(n)]
    sims, daemons = [], []
    t_start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lykta-fleet-") as d, Mosquitto(extra=broker_extra) as broker:
        try:
            counts = {gw: 0 for gw in names}
            kinds = {}  # topic shape ("luminaire/*/state") -> messages, for the rate arithmetic
            foreign = []
            count_lock = threading.Lock()
            online = set()
            auditor = Client(broker.port, ("lykta/#",), "auditor")
            lum_re = re.compile(r"^lykta/([^/]+)/luminaire/([^/]+)/state$")

            def audit(msg, t):
                parts = msg.topic.split("/")
                gw = parts[1] if len(parts) > 1 else ""
                with count_lock:
                    if gw in counts:
                        counts[gw] += 1
                        sub = parts[2:] or [""]
                        shape = "/".join("*" if i == 1 and sub[0] in ("luminaire", "area", "meter") else p
                                         for i, p in enumerate(sub))
                        kinds[shape] = kinds.get(shape, 0) + 1
                    m = lum_re.match(msg.topic)
                    if m and not m.group(2).startswith(m.group(1) + "-"):
                        foreign.append(msg.topic)  # a gateway published another's luminaire
                    if parts[-1] == "status" and b'"online"' in msg.payload:
                        online.add(gw)
            auditor.hooks.append(audit)

            for gw in names:
                sims.append(Sim("dali", "--listen", "127.0.0.1:0", "--gear", str(GEAR)))
            ports = [int(s.read_line("listening ").rsplit(":", 1)[1]) for s in sims]
            for gw, port in zip(names, ports):
                daemons.append(Lyktad(gateway_config(d, gw, [broker.uri], port, a.heartbeat_s, GEAR,
                                                      luminaire=f"{gw}-L{{n}}", area=f"{gw}-area")))
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                with count_lock:
                    if len(online) >= n:
                        break
                time.sleep(0.05)
            started_s = time.monotonic() - t_start
            with count_lock:
                n_online = len(online)
            print(f"fleet: {n_online}/{n} gateways online after {started_s:.1f} s "
                  f"({n} lyktad + {n} lykta-sim dali with {GEAR} gear each, one mosquitto)")

            time.sleep(8)  # first sweep, fail-safe programming and the first energy read settle
            with count_lock:
                base = dict(counts)
                kinds.clear()
            time.sleep(a.idle_seconds)
            with count_lock:
                idle = {gw: counts[gw] - base[gw] for gw in names}
                idle_kinds = dict(kinds)
            idle_rate = sum(idle.values()) / n / a.idle_seconds

            platform = Platform(broker.port)
            with count_lock:
                base = dict(counts)
            sent = 0
            t0 = time.monotonic()
            rng = random.Random(7)
            while time.monotonic() - t0 < a.seconds:
                platform.request(rng.choice(names), f"cmd-{sent}")
                sent += 1
                # also address a gateway that does not exist: nobody may answer
                if sent % 50 == 0:
                    platform.workers[0].publish("lykta/fleet-none/request/republish",
                                                json.dumps({"id": f"ghost-{sent}"}), qos=1)
                next_at = t0 + sent / a.rate
                time.sleep(max(0.0, next_at - time.monotonic()))
            busy_s = time.monotonic() - t0
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                with platform.lock:
                    if not platform.sent:
                        break
                time.sleep(0.05)
            with count_lock:
                busy = {gw: counts[gw] - base[gw] for gw in names}
            busy_rate = sum(busy.values()) / n / busy_s

            lat = platform.latency_ms
            with platform.lock:
                unanswered = len(platform.sent)
            print(f"commands: {sent} republish requests at {a.rate:.0f}/s to random gateways, "
                  f"{len(lat)} answered, {unanswered} unanswered")
            if lat:
                print(f"command latency (platform publish -> response at a $share worker): "
                      f"p50 {percentile(lat, 50):.1f} ms, p99 {percentile(lat, 99):.1f} ms, max {max(lat):.1f} ms")
            print(f"shared subscription: responses per platform worker {platform.per_worker}")
            print(f"per-gateway message rate: idle {idle_rate:.3f} msgs/s (heartbeat every {a.heartbeat_s} s), "
                  f"with commands {busy_rate:.3f} msgs/s "
                  f"(fleet total {busy_rate * n:.0f} msgs/s out of gateways)")
            print("idle messages per gateway per minute by topic: " + ", ".join(
                f"{k} {v / n / a.idle_seconds * 60:.1f}" for k, v in sorted(idle_kinds.items(), key=lambda kv: -kv[1])))

            # Isolation: no response on the wrong prefix, none for the ghost gateway,
            # no foreign luminaire topics, and no daemon log names another gateway.
            logs_clean = 0
            leaking = []
            for gw, daemon in zip(names, daemons):
                text = daemon.stderr()
                others = set(re.findall(r"fleet-\d{3}", text)) - {gw}
                if others:
                    leaking.append((gw, sorted(others)[:3]))
                else:
                    logs_clean += 1
            ghost = sum(1 for topic, _ in platform.unknown if "fleet-none" in topic)
            problems = len(platform.misrouted) + len(foreign) + ghost + len(leaking) + len(platform.unknown)
            print(f"isolation: {len(platform.misrouted)} responses on another gateway's prefix, "
                  f"{ghost} answers for a gateway that does not exist, {len(platform.unknown)} unexpected ids, "
                  f"{len(foreign)} foreign luminaire topics, {logs_clean}/{n} daemon logs mention only their "
                  f"own gateway id")
            for gw, others in leaking[:5]:
                print(f"  {gw}'s log mentions {others}")
            print(f"RESULT {json.dumps(dict(n=n, online=n_online, p50_ms=percentile(lat, 50) if lat else None, p99_ms=percentile(lat, 99) if lat else None, idle_rate=idle_rate, busy_rate=busy_rate, problems=problems, unanswered=unanswered))}")
            platform.close()
            auditor.close()
            print(f"fleet: done in {time.monotonic() - t_start:.0f} s")
            return 1 if problems or n_online < n else 0
        finally:
            for p in daemons + sims:
                p.stop(timeout=5)


if __name__ == "__main__":
    sys.exit(main())
