#!/usr/bin/python3
"""The fleet on a 3-node broker cluster (scripts/fleet.sh --cluster KIND N):
up to 20 real lyktad (each with its own `lykta-sim dali` bus) and
`lykta-sim fleet` for the rest, spread over the nodes (`mqtt.uri` lists every
node, starting at a different one). A platform on node 1 (MQTT 3.1.1,
persistent sessions, one connection per kind of message, plain subscriptions:
no `$share`) waits until the fleet has settled, then sends `luminaire/set`
at a fixed rate for a fixed time to random gateways, retrying an unanswered
request with the same id; one broker node is killed with SIGKILL mid-run and
started again. Reports connect-all time, round trips (real and simulated
apart), commands lost, cross-gateway leaks, time until every gateway of the
killed node is online again, the retained statuses a new platform client sees,
and CPU and RSS per broker node. Loopback only; every wait has a deadline.
`run()` is also what tests/fleet/ calls."""
import argparse
import json
import os
import random
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import cpu_seconds, emit, gateway_config, percentile, rss_kib  # noqa: E402  (sets sys.path)
import clusters  # noqa: E402
from harness import BIN, Lyktad, Process, Sim  # noqa: E402
import paho.mqtt.client as mqtt  # noqa: E402

GEAR = 4
MAX_REAL = 20


def rotated(uris, start):
    return uris[start:] + uris[:start]


class NodeRestart:
    """Starts a killed node again in a thread of its own; wait() gives the
    seconds it took, or None when the node did not come back (`error` says
    why: the figures report it; what is measured is the gateways)."""

    def __init__(self, cluster, i, log):
        self.error = None
        self.seconds = None

        def restart():
            t = time.monotonic()
            try:
                cluster.restart(i)
                self.seconds = time.monotonic() - t
                log(f"restarted {cluster.nodes[i].name} in {self.seconds:.1f} s")
            except Exception as e:  # noqa: BLE001 - reported in the figures
                self.error = str(e)[:3000]
                log(f"{cluster.nodes[i].name} did not start again: {self.error}")
        self.thread = threading.Thread(target=restart, name="node-restart", daemon=True)
        self.thread.start()

    def wait(self, timeout=600):
        self.thread.join(timeout)
        if self.thread.is_alive():
            self.error = f"the killed node did not start again within {timeout} s"
        return self.seconds


def retried_summary(platform, uris, t_cmd, killed_at):
    with platform.lock:
        retried = list(platform.retried)
        node_of = dict(platform.node_of)
        firsts = {}
        for rid, (gw, _, t) in platform.answered.items():
            firsts[gw] = min(firsts.get(gw, t), t)
    by_node = {}
    for gw, _, _ in retried:
        node = node_of.get(gw)
        key = f"node{uris.index(node) + 1}" if node in uris else "?"
        by_node[key] = by_node.get(key, 0) + 1
    return {"count": len(retried), "by_node": by_node,
            "first_request_to_its_gateway": sum(1 for gw, t, _ in retried if t <= firsts.get(gw, t)),
            "before_kill": sum(1 for _, t, _ in retried if killed_at and t < killed_at),
            "examples": [(gw, round(t - t_cmd, 1), n) for gw, t, n in retried[:8]]}


# What the platform subscribes to, one filter per kind of message. With
# `connections="split"` each kind has its own MQTT connection: aedes (1.2 and
# its 2.0 beta) drops a message to a client when a later-numbered message from
# the same node reached that client first (its `dedupe` in lib/client.js,
# moscajs/aedes#994), and a node sends QoS 0 at once, QoS 1 after its Redis
# writes (one per persistent subscriber) and retained messages after one more.
# Within one kind every message takes the same path, so nothing overtakes.
# The requests go out on a connection of their own too: RabbitMQ 3.10 closes a
# publisher's connection when a queue it published to was on the node that
# died (`mqtt_unexpected_msg` on a `basic.nack`, docs/scaling.md), and that
# should not take a subscription down with it.
PLATFORM_TOPICS = ("lykta/+/response/#", "lykta/+/status", "lykta/+/info", "lykta/+/heartbeat")


class Platform:
    """The platform side: MQTT 3.1.1 clients with persistent sessions on
    node 1, subscribed to responses, statuses, infos and heartbeats of every
    gateway: one client for all (`connections="one"`) or one per kind and one
    more, with a clean session, that sends the requests (`"split"`,
    docs/scaling.md, "aedes drops messages that arrive out of order")."""

    def __init__(self, port, retry_s, connections="split", request_qos=1):
        self.lock = threading.Lock()
        self.retry_s = retry_s
        self.request_qos = request_qos
        self.pending = {}      # rid -> [gateway, first send, last send, attempts]
        self.answered = {}     # rid -> (gateway, round trip (s) from the first send, first send)
        self.duplicates = 0    # answers to an id already answered (retries crossing answers)
        self.leaks = []        # (topic, rid): an answer on another gateway's prefix, or to an id never sent
        self.retried = []      # (gateway, first send, attempts) of requests answered only after a retry
        self.status = {}       # gateway -> (state, session, t)
        self.online_at = {}    # gateway -> [(session, t)]
        self.heartbeat_at = {}  # gateway -> [(session, t)]
        self.node_of = {}      # gateway -> node URI from P/info broker
        self.protocol = {}     # gateway -> "5" / "3.1.1"
        groups = [PLATFORM_TOPICS] if connections == "one" else [(t,) for t in PLATFORM_TOPICS]
        self.connects = 0      # CONNACKs over all platform connections (more than one each: reconnects)
        self.disconnects = []  # (monotonic time, topic filters of the connection, paho reason)
        self.clients = []
        try:
            for i, topics in enumerate(groups):
                self.clients.append(self._connect(port, f"lykta-platform-{os.getpid()}-{i}", topics))
            if connections != "one":
                self.clients.append(self._connect(port, f"lykta-platform-{os.getpid()}-requests", ()))
        except Exception:
            self.close()
            raise
        self.client = self.clients[-1]  # sends the requests

    def _connect(self, port, client_id, topics):
        """A connected client subscribed to `topics` with a persistent session;
        with no topics, a publisher with a clean session."""
        client = mqtt.Client(client_id=client_id, clean_session=not topics)
        client.on_message = self._on_message
        client.on_socket_open = lambda c, u, sock: sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.reconnect_delay_set(0.2, 2)
        acked = set()
        ready = threading.Event()

        def subscribe(c, *a):
            with self.lock:
                self.connects += 1
            # One filter per SUBSCRIBE: aedes 1.2 with aedes-persistence-redis never
            # answers a multi-filter SUBSCRIBE of a persistent session (docs/scaling.md).
            acked.clear()
            for t in topics:
                c.subscribe(t, 1)
            if not topics:
                ready.set()

        def on_subscribe(c, u, mid, *a):
            acked.add(mid)
            if len(acked) == len(topics):
                ready.set()
        def on_disconnect(c, u, rc, *a):
            with self.lock:
                self.disconnects.append((time.monotonic(), topics, mqtt.error_string(rc) if isinstance(rc, int) else str(rc)))
        client.on_connect = subscribe
        client.on_subscribe = on_subscribe
        client.on_disconnect = on_disconnect
        client.connect("127.0.0.1", port, keepalive=30)
        client.loop_start()
        if not ready.wait(30):
            client.loop_stop()
            raise RuntimeError(f"platform client {client_id} could not subscribe on 127.0.0.1:{port}")
        return client

    def _on_message(self, client, userdata, msg):
        t = time.monotonic()
        parts = msg.topic.split("/")
        gw = parts[1]
        try:
            payload = json.loads(msg.payload) if msg.payload else None
        except ValueError:
            payload = None
        with self.lock:
            if parts[2] == "status" and isinstance(payload, dict):
                self.status[gw] = (payload.get("state"), payload.get("session"), t)
                if payload.get("state") == "online":
                    self.online_at.setdefault(gw, []).append((payload.get("session"), t))
            elif parts[2] == "heartbeat" and isinstance(payload, dict):
                self.heartbeat_at.setdefault(gw, []).append((payload.get("session"), t))
            elif parts[2] == "info" and isinstance(payload, dict) and isinstance(payload.get("broker"), dict):
                # The node's place in the cluster: its URI (`node` counts in the gateway's own list).
                self.node_of[gw] = payload["broker"].get("uri")
                self.protocol[gw] = payload["broker"].get("protocol")
            elif parts[2] == "response" and isinstance(payload, dict):
                rid = payload.get("id")
                if rid in self.answered:
                    self.duplicates += 1
                    return
                entry = self.pending.pop(rid, None)
                if entry is None or entry[0] != gw:
                    self.leaks.append((msg.topic, rid))
                    return
                self.answered[rid] = (gw, t - entry[1], entry[1])
                if entry[3] > 1:
                    self.retried.append((gw, entry[1], entry[3]))

    def online(self):
        with self.lock:
            return {gw for gw, (state, _, _) in self.status.items() if state == "online"}

    def send(self, gw, rid, level):
        now = time.monotonic()
        with self.lock:
            self.pending[rid] = [gw, now, now, 1, level]
        self._publish(gw, rid, level)

    def _publish(self, gw, rid, level):
        self.client.publish(f"lykta/{gw}/request/luminaire/set",
                            json.dumps({"id": rid, "luminaire": "L-1", "level": level}), qos=self.request_qos)

    def retry_due(self):
        """Sends again, with the same id, every request unanswered for retry_s."""
        now = time.monotonic()
        with self.lock:
            due = [(rid, e) for rid, e in self.pending.items() if now - e[2] >= self.retry_s]
            for rid, e in due:
                e[2] = now
                e[3] += 1
        for rid, e in due:
            self._publish(e[0], rid, e[4])
        return len(due)

    def close(self):
        for client in self.clients:
            client.loop_stop()
            client.disconnect()


def retained_statuses(port, gateways, sessions_at_kill=None, quiet_s=3.0):
    """What a platform that subscribes now sees: retained P/status per gateway
    (and how many of the killed node's gateways show a session newer than at the kill)."""
    seen = {}
    last = [time.monotonic()]
    c = mqtt.Client(client_id=f"lykta-late-{os.getpid()}", clean_session=True)

    def on_message(client, userdata, msg):
        if msg.retain and msg.payload:
            try:
                status = json.loads(msg.payload)
                seen[msg.topic.split("/")[1]] = (status.get("state"), status.get("session"))
            except ValueError:
                pass
        last[0] = time.monotonic()
    c.on_message = on_message
    c.connect("127.0.0.1", port, keepalive=30)
    c.loop_start()
    c.subscribe("lykta/+/status", 1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and time.monotonic() - last[0] < quiet_s:
        time.sleep(0.1)  # the end of a retained burst has no marker: wait for a quiet spell
    c.loop_stop()
    c.disconnect()
    online = sum(1 for gw in gateways if seen.get(gw, (None,))[0] == "online")
    offline = sum(1 for gw in gateways if seen.get(gw, (None,))[0] == "offline")
    out = {"online": online, "offline": offline, "none": len(gateways) - online - offline}
    if sessions_at_kill:
        out["killed_node_gateways_with_a_newer_session"] = sum(
            1 for gw, s in sessions_at_kill.items() if (seen.get(gw, (None, None))[1] or 0) > (s or 0))
    return out


def node_usage(cluster):
    out = []
    for n in cluster.nodes:
        try:
            cpu = n.cpu_before + cpu_seconds(n.pid())
            rss = rss_kib(n.pid()) / 1024
        except (OSError, ValueError):
            cpu, rss = n.cpu_before, 0.0
        out.append({"node": n.name, "cpu_s": round(cpu, 1), "rss_mb": round(rss, 1)})
    return out


def stats(values_s):
    if not values_s:
        return {"n": 0}
    ms = [v * 1000 for v in values_s]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 1), "p99_ms": round(percentile(ms, 99), 1),
            "max_ms": round(max(ms), 1)}


def run(kind, n, real=None, rate=20.0, seconds=60.0, kill_at=None, kill_node=None, restart_after=10.0,
        heartbeat_s=10, retry_s=5.0, platform_connections="split", settle_s=5.0, subscribe_qos=None,
        request_qos=None, answers_csv=None, log=print):
    """One run; returns the figures as a dict. Raises if the cluster cannot start.
    subscribe_qos: the gateways' `mqtt.subscribe_qos`; None: 0 on RabbitMQ, where
    a clean session's QoS 1 subscription is a durable queue on one node, and
    gateways whose node died could not subscribe anywhere else until it came
    back (docs/scaling.md); 1 elsewhere.
    request_qos: the QoS of the platform's requests; None: 0 on RabbitMQ, where a
    QoS 1 publish that a queue on the dead node refuses closes the publisher's
    connection (its retry is what makes a request arrive), 1 elsewhere."""
    if subscribe_qos is None:
        subscribe_qos = 0 if kind == "rabbitmq" else 1
    if request_qos is None:
        request_qos = 0 if kind == "rabbitmq" else 1
    real = min(MAX_REAL, n) if real is None else min(real, n)
    kill_at = seconds / 3 if kill_at is None else kill_at
    sims, daemons, fleets = [], [], []
    t0 = time.monotonic()
    cluster = clusters.make(kind)
    try:
        log(f"{kind} {cluster.version}: {len(cluster.nodes)} nodes up in {time.monotonic() - t0:.1f} s: "
            f"{' '.join(cluster.uris)}")
        uris = cluster.uris
        platform = Platform(cluster.nodes[0].port, retry_s, platform_connections, request_qos)
        with tempfile.TemporaryDirectory(prefix="lykta-fleet-cluster-") as d:
            real_names = [f"gw-{i:03}" for i in range(real)]
            for _ in real_names:
                sims.append(Sim("dali", "--listen", "127.0.0.1:0", "--gear", str(GEAR)))
            ports = [int(s.read_line("listening ").rsplit(":", 1)[1]) for s in sims]
            t_start = time.monotonic()
            for i, (gw, port) in enumerate(zip(real_names, ports)):
                daemons.append(Lyktad(gateway_config(d, gw, rotated(uris, i % len(uris)), port, heartbeat_s, GEAR,
                                                     subscribe_qos=subscribe_qos)))
            simulated = n - real
            sim_names = []
            per_node = [simulated // len(uris) + (1 if j < simulated % len(uris) else 0) for j in range(len(uris))]
            for j, count in enumerate(per_node):
                if not count:
                    continue
                brokers = [a for u in rotated(uris, j) for a in ("--broker", u)]
                fleets.append(Process([os.path.join(BIN, "lykta-sim"), "fleet", *brokers, "--gateways", str(count),
                                       "--id-prefix", f"sim{j}-", "--heartbeat-s", str(heartbeat_s),
                                       "--luminaires", str(GEAR), "--connect-rate", "100",
                                       "--subscribe-qos", str(subscribe_qos)]))
                sim_names += [f"sim{j}-{i:04d}" for i in range(count)]
            everyone = real_names + sim_names
            deadline = time.monotonic() + max(120, n * 0.3)
            while time.monotonic() < deadline and len(platform.online() & set(everyone)) < n:
                time.sleep(0.1)
            up = len(platform.online() & set(everyone))
            connect_all = time.monotonic() - t_start
            log(f"{up}/{n} gateways online after {connect_all:.1f} s ({real} real, {simulated} simulated)")
            if up < n:
                raise RuntimeError(f"only {up}/{n} gateways came online in {connect_all:.0f} s")
            # Commands start once the fleet has settled: every gateway's P/info has
            # arrived (the last of its retained messages after P/status; the brokers
            # store about six per gateway for seconds after the last `online`), and
            # settle_s more. The connect storm is measured by connect_all, not here.
            while time.monotonic() < deadline:
                with platform.lock:
                    if all(gw in platform.node_of for gw in everyone):
                        break
                time.sleep(0.1)
            infos_all = time.monotonic() - t_start
            time.sleep(settle_s)
            log(f"every P/info seen after {infos_all:.1f} s; commands start {settle_s:g} s later")

            # Command phase, with the kill of one node a third of the way in.
            rng = random.Random(20)
            sent = 0
            t_cmd = time.monotonic()
            killed_at = None
            restarter = None
            on_killed = set()
            infos_missing = None
            sessions_at_kill = {}
            while time.monotonic() - t_cmd < seconds:
                now = time.monotonic() - t_cmd
                if killed_at is None and now >= kill_at:
                    with platform.lock:
                        if kill_node is None:
                            # The busiest node other than node 1 (the platform's).
                            counts = [sum(1 for v in platform.node_of.values() if v == uris[k])
                                      for k in range(len(uris))]
                            kill_node = max(range(1, len(uris)), key=lambda k: counts[k])
                        on_killed = {gw for gw, node in platform.node_of.items() if node == uris[kill_node]}
                        # A gateway whose P/info did not reach the platform: its first node.
                        on_killed |= {gw for i, gw in enumerate(real_names)
                                      if gw not in platform.node_of and i % len(uris) == kill_node}
                        infos_missing = sum(1 for gw in everyone if gw not in platform.node_of)
                        sessions_at_kill = {gw: platform.status[gw][1] for gw in on_killed if gw in platform.status}
                    cluster.kill(kill_node)
                    killed_at = time.monotonic()
                    log(f"killed {cluster.nodes[kill_node].name} (SIGKILL) at {now:.1f} s; "
                        f"{len(on_killed)} gateways were on it")
                if killed_at and restarter is None and time.monotonic() - killed_at >= restart_after:
                    # Beside the command loop: a RabbitMQ node takes seconds to boot,
                    # and the requests keep their rate meanwhile.
                    restarter = NodeRestart(cluster, kill_node, log)
                gw = rng.choice(everyone)
                platform.send(gw, f"{gw}-{sent}", rng.choice([0, 20, 40, 60, 80, 100]))
                sent += 1
                platform.retry_due()
                next_at = t_cmd + sent / rate
                time.sleep(max(0.0, next_at - time.monotonic()))
            kill_node = 2 if kill_node is None else kill_node
            if killed_at and restarter is None:
                restarter = NodeRestart(cluster, kill_node, log)
            restart_s = restarter.wait() if restarter else None
            # Let the retries finish: a request is lost when a few rounds of retries did not get it answered.
            grace = time.monotonic() + retry_s * 4
            while time.monotonic() < grace and platform.pending:
                platform.retry_due()
                time.sleep(0.1)

            # Back online, by the contract's rule (docs/mqtt-api.md, "Heartbeats are
            # the truth"): a heartbeat or an `online` status with a session newer
            # than at the kill. `back_by_status` counts the live statuses alone: a
            # cluster that stores them but does not deliver them shows there.
            back, back_by_status = {}, {}
            with platform.lock:
                for gw in on_killed:
                    def newer(seen):
                        return [t for s, t in seen
                                if killed_at and t > killed_at and (s or 0) > (sessions_at_kill.get(gw) or 0)]
                    by_status = newer(platform.online_at.get(gw, []))
                    later = by_status + newer(platform.heartbeat_at.get(gw, []))
                    if later:
                        back[gw] = min(later) - killed_at
                    if by_status:
                        back_by_status[gw] = min(by_status) - killed_at
            all_back = len(back) == len(on_killed)
            with platform.lock:
                not_back = {gw: {"session_at_kill": sessions_at_kill.get(gw), "status": platform.status.get(gw, (None,))[:2],
                                 "online": [(s, round(t - killed_at, 1)) for s, t in platform.online_at.get(gw, [])],
                                 "heartbeats": [(s, round(t - killed_at, 1))
                                                for s, t in platform.heartbeat_at.get(gw, [])][-3:]}
                            for gw in sorted(on_killed - set(back))[:5]}
            with platform.lock:
                answered = dict(platform.answered)
                lost = len(platform.pending)
                node_of = dict(platform.node_of)
            if answers_csv:
                with open(answers_csv, "w") as f:
                    f.write("gateway,node,sent_s,round_trip_ms\n")
                    for gw, v, t in sorted(answered.values(), key=lambda a: a[2]):
                        node = node_of.get(gw)
                        f.write(f"{gw},{uris.index(node) + 1 if node in uris else ''},{t - t_cmd:.3f},{v * 1e3:.1f}\n")
            real_set = set(real_names)
            figures = {
                "cluster": kind, "version": cluster.version, "gateways": n, "real": real, "simulated": simulated,
                "connect_all_s": round(connect_all, 1), "infos_all_s": round(infos_all, 1), "settle_s": settle_s,
                "commands": sent, "rate": rate, "seconds": seconds,
                "platform_connections": len(platform.clients), "subscribe_qos": subscribe_qos,
                "request_qos": request_qos,
                "platform_reconnects": platform.connects - len(platform.clients),
                "platform_disconnects": [(round(t - t_cmd, 1), " ".join(topics) or "the requests", why)
                                         for t, topics, why in platform.disconnects],
                "rtt_real": stats([v for g, v, _ in answered.values() if g in real_set]),
                "rtt_simulated": stats([v for g, v, _ in answered.values() if g not in real_set]),
                # Without the requests the kill held up: those to a gateway of the killed
                # node that were open at some time between the kill and that gateway's
                # return (they wait for a retry by design).
                "rtt_unaffected": stats([v for g, v, t in answered.values()
                                         if not (g in on_killed and killed_at and t <= killed_at + back.get(g, 1e9)
                                                 and t + v >= killed_at)]),
                # Steady state: answered before the kill (what the cluster gives when
                # no node is lost), to tell the gateway's share from the crash's.
                # Which requests needed the platform's retry: by the node their gateway
                # was on, and how soon after the gateway's first request (a first
                # request lost while its subscription settles looks different from
                # a steady loss).
                "retried": retried_summary(platform, uris, t_cmd, killed_at),
                "rtt_before_kill": stats([v for g, v, t in answered.values() if killed_at and t + v < killed_at]),
                "affected_by_kill": sum(1 for g, v, t in answered.values()
                                        if g in on_killed and killed_at and t <= killed_at + back.get(g, 1e9)
                                        and t + v >= killed_at),
                "lost": lost, "duplicate_answers": platform.duplicates, "leaks": len(platform.leaks),
                "killed_node": cluster.nodes[kill_node].name, "gateways_on_killed_node": len(on_killed),
                "infos_not_seen": infos_missing,
                "all_back_online": all_back, "gateways_back": len(back),
                "gateways_back_by_live_status": len(back_by_status),
                "not_back": not_back,
                "back_online_s": round(max(back.values()), 1) if back else None,
                "node_restart_s": round(restart_s, 1) if restart_s else None,
                "node_restart_error": restarter.error if restarter else None,
                "protocols": {p: sum(1 for v in platform.protocol.values() if v == p) for p in ("5", "3.1.1")},
                "retained_statuses_seen": retained_statuses(cluster.nodes[0].port, everyone, sessions_at_kill),
                "brokers": node_usage(cluster),
                "load_average": os.getloadavg()[0],
            }
            platform.close()
            return figures
    finally:
        for f in fleets:
            f.stop(timeout=30)
        for p in daemons + sims:
            p.stop()
        cluster.stop()


def report(f):
    print(f"\n== {f['cluster']} ({f['version']}), {f['gateways']} gateways ({f['real']} real lyktad, "
          f"{f['simulated']} simulated), {f['rate']:g} commands/s for {f['seconds']:g} s")
    print(f"connect all:            {f['connect_all_s']} s (every P/info: {f['infos_all_s']} s; "
          f"commands {f['settle_s']:g} s after that)")
    print(f"platform:               {f['platform_connections']} MQTT connection(s) on node 1, "
          f"{f['platform_reconnects']} reconnect(s); requests with QoS {f['request_qos']}, "
          f"gateways subscribe with QoS {f['subscribe_qos']}")
    for t, topics, why in f["platform_disconnects"]:
        print(f"  platform connection for {topics} lost at {t} s: {why}")
    for k in ("rtt_real", "rtt_simulated", "rtt_unaffected", "rtt_before_kill"):
        s = f[k]
        if s["n"]:
            print(f"round trip {k[4:]:10}   p50 {s['p50_ms']} ms  p99 {s['p99_ms']} ms  max {s['max_ms']} ms "
                  f"({s['n']} answered)")
    print(f"held up by the kill:    {f['affected_by_kill']} requests (to the killed node's gateways, open "
          f"between the kill and their return)")
    print(f"commands lost:          {f['lost']} of {f['commands']} (duplicate answers {f['duplicate_answers']})")
    print(f"cross-gateway leaks:    {f['leaks']}")
    print(f"killed {f['killed_node']}: {f['gateways_on_killed_node']} gateways on it, {f['gateways_back']} online "
          f"again; all: {f['all_back_online']} after {f['back_online_s']} s (node restart took {f['node_restart_s']} s)")
    if f["node_restart_error"]:
        print(f"  the killed node did not start again: {f['node_restart_error'].splitlines()[0]}")
    print(f"  of them seen back by their live `online` status alone: {f['gateways_back_by_live_status']} "
          f"(the rest by a heartbeat with a newer session)")
    print(f"protocols in use:       {f['protocols']}")
    print(f"retained statuses seen: {f['retained_statuses_seen']}")
    for b in f["brokers"]:
        print(f"broker {b['node']:28} CPU {b['cpu_s']} s  RSS {b['rss_mb']} MB")
    print(f"load average (1 min) at the end: {f['load_average']:.1f} (shared 2-core machine)")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("kind", choices=["rabbitmq", "aedes", "mosquitto"])
    ap.add_argument("n", type=int, nargs="?", default=50)
    ap.add_argument("--real", type=int, default=None, help=f"real lyktad (default min(N, {MAX_REAL}))")
    ap.add_argument("--rate", type=float, default=20, help="commands per second across the fleet")
    ap.add_argument("--seconds", type=float, default=60, help="length of the command phase")
    ap.add_argument("--kill-at", type=float, default=None, help="seconds into the command phase (default 1/3)")
    ap.add_argument("--restart-after", type=float, default=10,
                    help="seconds between the kill and the node's restart (the restart waits for the "
                         "command phase's end when that comes first)")
    ap.add_argument("--heartbeat-s", type=int, default=10)
    ap.add_argument("--retry-s", type=float, default=5)
    ap.add_argument("--settle-s", type=float, default=5,
                    help="seconds between the last gateway's P/info and the first command")
    ap.add_argument("--subscribe-qos", type=int, choices=[0, 1, 2], default=None,
                    help="the gateways' mqtt.subscribe_qos (default: 0 on rabbitmq, 1 elsewhere)")
    ap.add_argument("--request-qos", type=int, choices=[0, 1], default=None,
                    help="QoS of the platform's requests (default: 0 on rabbitmq, 1 elsewhere)")
    ap.add_argument("--answers-csv", metavar="FILE", help="write every answered request (gateway, node, "
                    "send time, round trip) to FILE")
    ap.add_argument("--platform", choices=["split", "one"], default="split",
                    help="the platform's MQTT connections: one per kind of message (default; aedes drops "
                         "messages that overtake each other on one connection) or one for all")
    a = ap.parse_args()
    why = clusters.missing(a.kind)
    if why:
        print(f"fleet --cluster {a.kind}: {why}", file=sys.stderr)
        return 2
    f = run(a.kind, a.n, a.real, a.rate, a.seconds, a.kill_at, restart_after=a.restart_after,
            heartbeat_s=a.heartbeat_s, retry_s=a.retry_s,
            platform_connections=a.platform, settle_s=a.settle_s,
            subscribe_qos=a.subscribe_qos, request_qos=a.request_qos, answers_csv=a.answers_csv)
    report(f)
    emit(bench=f"fleet_cluster_{a.kind}", **f)
    ok = f["lost"] == 0 and f["leaks"] == 0 and f["all_back_online"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
