#!/usr/bin/python3
"""N synthetic gateways on one broker for the fleet benchmarks: one paho
client publishes each gateway's retained P/status, P/info and P/alarms with
the payload shapes of docs/mqtt-api.md, and answers `faults/list` and
`report/get` for every gateway (MQTT 5 response topic + correlation data, or
P/response/<command> with the id). Not a gateway simulator (that is
`lykta-sim fleet`, issue 20): just enough to measure lyktactl's fleet verbs.
Loopback only. Usage as a module (SyntheticFleet) or:
  synthetic_fleet.py PORT N [--prefix lykta]    (runs until stdin closes)"""
import datetime
import json
import os
import random
import sys
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

SEVERITIES = ("critical", "major", "minor")
KINDS = {"critical": "bus_failure", "major": "lamp_failure", "minor": "day_burner"}


def gateway_id(i):
    return f"syn-{i:04d}"


class SyntheticFleet:
    def __init__(self, port, count, prefix="lykta", faulty_share=0.1, seed=1, areas=3):
        self.port, self.count, self.prefix, self.areas = port, count, prefix, areas
        rng = random.Random(seed)
        self.now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        self.faults = {}
        for i in range(count):
            if rng.random() < faulty_share:
                self.faults[gateway_id(i)] = [self._fault(i, n, rng) for n in range(rng.randint(1, 3))]
        self.client = mqtt.Client(client_id=f"synthetic-fleet-{port}-{os.getpid()}", protocol=mqtt.MQTTv5)
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        self.client.on_message = self._on_message
        connected = threading.Event()
        self.client.on_connect = lambda *a: connected.set()
        self.client.connect("127.0.0.1", port, keepalive=60)
        self.client.loop_start()
        if not connected.wait(15):
            raise RuntimeError(f"cannot connect to 127.0.0.1:{port}")
        self.client.subscribe(f"{prefix}/+/request/#", qos=1)

    def _fault(self, i, n, rng):
        severity = rng.choice(SEVERITIES)
        since = self.now - datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 30))
        lum = f"L-{n + 1}"
        return {"id": f"F-{n + 1}", "kind": KINDS[severity], "severity": severity,
                "target": f"luminaire/{lum}", "area": f"area-{n % self.areas}",
                "since": since.strftime("%Y-%m-%dT%H:%M:%SZ"), "acknowledged": False, "detail": "synthetic",
                "location": {"street": f"Storgatan {i}", "lat": 56.40 + (i % 40) * 0.002,
                             "lon": 12.80 + (i // 40) * 0.003}}

    def publish_retained(self):
        """Publishes every retained topic and waits until the broker acknowledged them all."""
        infos = []
        ts = self.now.strftime("%Y-%m-%dT%H:%M:%SZ")
        for i in range(self.count):
            gw = gateway_id(i)
            p = f"{self.prefix}/{gw}"
            active = [{k: v for k, v in f.items() if k != "location"} for f in self.faults.get(gw, [])]
            for topic, payload in (
                    ("status", {"state": "online", "session": 1, "since": ts, "version": "0.1.0"}),
                    ("info", {"id": gw, "name": f"Cabinet {i}", "version": "0.1.0", "api": 1,
                              "site": {"latitude": 56.43, "longitude": 12.85, "timezone": "Europe/Stockholm"},
                              "buses": [], "modbus_networks": [], "luminaires": 24, "areas": self.areas,
                              "meters": 0, "config_hash": f"{i:016x}", "capabilities": ["republish"],
                              "schedule_revision": 1}),
                    ("alarms", {"active": active, "total": len(active), "truncated": False, "ts": ts})):
                infos.append(self.client.publish(f"{p}/{topic}", json.dumps(payload), qos=1, retain=True))
        for info in infos:
            info.wait_for_publish(60)

    def report(self, gw, args):
        """report/get's shape (docs/statistics.md), granularity month: deterministic
        figures per area for every month from `from` to `to`, and the total."""
        start = datetime.date.fromisoformat(args["from"])
        end = datetime.date.fromisoformat(args["to"])
        seed = int(gw.split("-")[1])
        months, d = [], start.replace(day=1)
        while d <= end:
            months.append(d.strftime("%Y-%m"))
            d = (d + datetime.timedelta(days=32)).replace(day=1)
        areas = []
        for a in range(self.areas):
            series = []
            for i, month in enumerate(months):
                n = seed + a + i
                series.append({"period": month, "recorded": True, "lit_hours": 300.0 + n % 50,
                               "safety_hours": float(n % 20), "flagged_hours": float(n % 20),
                               "energy_kwh": 120.0 + n % 30, "energy_source": "estimated",
                               "estimated_kwh": 120.0 + n % 30, "metered_kwh": None,
                               "safety_extra_kwh": float(n % 5), "availability_flagged_pct": 95.0,
                               "faults_raised": n % 3, "repairs": n % 2, "mttr_hours": 6.0 if n % 2 else None})
            total = {"period": "total"}
            for key in ("lit_hours", "safety_hours", "flagged_hours", "energy_kwh", "safety_extra_kwh",
                        "faults_raised", "repairs"):
                total[key] = sum(e[key] for e in series)
            total["availability_flagged_pct"] = 95.0
            total["mttr_hours"] = 6.0 if total["repairs"] else None
            areas.append({"area": f"area-{a}", "series": series, "total": total})
        return {"from": args["from"], "to": args["to"], "granularity": args.get("granularity", "day"),
                "timezone": "Europe/Stockholm", "gateway": {"id": gw, "name": gw}, "areas": areas}

    def _on_message(self, client, userdata, msg):
        parts = msg.topic.split("/request/", 1)
        if len(parts) != 2:
            return
        gw = parts[0][len(self.prefix) + 1:]
        command = parts[1]
        try:
            args = json.loads(msg.payload)
        except ValueError:
            return
        if command == "faults/list":
            answer = {"status": "ok", "data": {"faults": self.faults.get(gw, [])}}
        elif command == "report/get":
            answer = {"status": "ok", "data": self.report(gw, args)}
        else:
            answer = {"status": "error", "error": {"code": "unknown_command", "message": command}}
        answer["id"] = args.get("id")
        props = getattr(msg, "properties", None)
        topic = f"{parts[0]}/response/{command}"
        out = Properties(PacketTypes.PUBLISH)
        if props is not None and getattr(props, "ResponseTopic", None):
            topic = props.ResponseTopic
            if getattr(props, "CorrelationData", None) is not None:
                out.CorrelationData = props.CorrelationData
        client.publish(topic, json.dumps(answer), qos=1, properties=out)

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()


if __name__ == "__main__":
    port, count = int(sys.argv[1]), int(sys.argv[2])
    prefix = sys.argv[sys.argv.index("--prefix") + 1] if "--prefix" in sys.argv else "lykta"
    fleet = SyntheticFleet(port, count, prefix)
    fleet.publish_retained()
    print(f"ready {count}", flush=True)
    sys.stdin.read()
    fleet.close()
