"""`republish` towards a platform client that subscribes to everything and lags.

A broker keeps a bounded queue per subscriber (mosquitto: max_queued_messages)
and silently drops what does not fit. The daemon sends the answer ahead of the
retained messages it announces, so the answer is not what gets dropped. Here
the broker's queue is small (20) and the subscriber slow (20 ms a message), so
a republish of 64 luminaire states overflows it for sure."""
import json
import os
import tempfile
import threading
import time
import unittest

import paho.mqtt.client as mqtt

from harness import Lyktad, Mosquitto, Sim, minimal_config, wait_until, write_config

P = "lykta/test-gw"
GEAR = 64


class SlowSubscriber:
    """Subscribes to P/# at QoS 1; once `slow` is set, takes 20 ms per message."""

    def __init__(self, port):
        self.slow = False
        self.topics = []
        self.lock = threading.Lock()
        self.client = mqtt.Client(client_id="slow-platform", clean_session=True)
        self.client.on_message = self._on_message
        subscribed = threading.Event()
        self.client.on_subscribe = lambda *a: subscribed.set()
        self.client.on_connect = lambda c, *a: c.subscribe(f"{P}/#", 1)
        self.client.connect("127.0.0.1", port, keepalive=30)
        self.client.loop_start()
        if not subscribed.wait(15):
            raise AssertionError("subscription not acknowledged")

    def _on_message(self, client, userdata, msg):
        if self.slow:
            time.sleep(0.02)
        with self.lock:
            self.topics.append((msg.topic, msg.payload))

    def answers(self):
        with self.lock:
            return [json.loads(p) for t, p in self.topics if t == f"{P}/response/republish"]

    def count(self, part):
        with self.lock:
            return sum(1 for t, _ in self.topics if part in t)

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()


class RepublishToALaggingSubscriber(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-republish-")
        self.broker = Mosquitto(extra="max_queued_messages 20\n")
        self.addCleanup(self.broker.stop)
        self.sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", str(GEAR))
        self.addCleanup(self.sim.stop)
        port = int(self.sim.read_line("listening ").rsplit(":", 1)[1])
        extra = f"""
dali:
  buses:
    - {{ id: bus0, interface: "foxtron://127.0.0.1:{port}" }}
luminaires:
  - {{ id: "L-{{n:02}}", bus: bus0, addresses: 0..{GEAR - 1}, first: 0, area: a0 }}
areas:
  - {{ id: a0, profile: p }}
profiles:
  p:
    - {{ at: "sunset", level: 100 }}
    - {{ at: "sunrise", level: 0 }}
"""
        self.config = write_config(self.dir, minimal_config(self.broker.port, os.path.join(self.dir, "lykta.db"),
                                                            extra=extra))

    def test_the_answer_arrives_although_the_broker_drops_states(self):
        sub = SlowSubscriber(self.broker.port)
        self.addCleanup(sub.close)
        daemon = Lyktad(self.config)
        self.addCleanup(daemon.stop)
        wait_until(lambda: sub.count("/luminaire/") >= GEAR, 30, what="every luminaire state once")
        time.sleep(0.5)  # let the start-up burst drain before the subscriber turns slow
        before = sub.count("/luminaire/")
        sub.slow = True
        sub.client.publish(f"{P}/request/republish", json.dumps({"id": "r-1"}), qos=1)
        wait_until(lambda: sub.answers(), 30, what="the republish answer")
        answer = sub.answers()[0]
        self.assertEqual(answer["id"], "r-1")
        self.assertEqual(answer["status"], "ok")
        self.assertGreaterEqual(answer["data"]["topics"], GEAR)
        # The broker did drop some of the flood (else this test proves nothing).
        wait_until(lambda: "dropped" in self.broker.stderr() or sub.count("/luminaire/") >= before + GEAR, 30,
                   what="the republished states or the broker's drop notice")
        self.assertIn("dropped", self.broker.stderr())
        self.assertTrue(daemon.running())


if __name__ == "__main__":
    unittest.main()
