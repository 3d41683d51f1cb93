"""The gateway on a broker cluster (docs/scaling.md, "Clustered brokers"):
failover across the nodes of `mqtt.uri`, the MQTT 5 -> 3.1.1 fallback of
`mqtt.version: auto` against a node that refuses 5, subscriptions made again
whatever the CONNACK's Session Present says, a late will answered by
re-asserting `online`, and repeated request ids answered once.

Real mosquitto brokers on loopback; a scripted peer (mqtt_peer.py) stands in
for a node that refuses MQTT 5, which mosquitto cannot be configured to do."""
import os
import tempfile
import unittest

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from harness import Lyktad, Mosquitto, Observer, free_port, minimal_config, write_config
from mqtt_peer import CLOSE, REFUSE_0X84, V311OnlyPeer

P = "lykta/test-gw"


def online(p):
    return isinstance(p, dict) and p.get("state") == "online"


class ClusterTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-cluster-")
        self.store = os.path.join(self.dir, "lykta.db")

    def start(self, broker_port, uris, obs, mqtt_extra=""):
        """Starts lyktad with `uris` as mqtt.uri and waits for its first online status."""
        text = minimal_config(broker_port, self.store, mqtt_extra=mqtt_extra)
        text = text.replace(f"  uri: tcp://127.0.0.1:{broker_port}\n",
                            "  uri: [" + ", ".join(uris) + "]\n")
        since = len(obs.snapshot())
        daemon = Lyktad(write_config(self.dir, text))
        self.addCleanup(daemon.stop)
        try:
            status = obs.wait_for(f"{P}/status", online, since=since, timeout=30)
        except AssertionError:
            raise AssertionError(f"lyktad did not come online; its log:\n{daemon.stderr()[-3000:]}")
        return daemon, status


class Failover(ClusterTest):
    def test_skips_a_dead_node_and_moves_on_when_its_node_dies(self):
        dead = f"tcp://127.0.0.1:{free_port()}"
        a, b = Mosquitto(), Mosquitto()
        self.addCleanup(a.stop)
        self.addCleanup(b.stop)
        # The observers stand for the cluster's shared view: one per node.
        with Observer(a.port, [f"{P}/#"]) as on_a, Observer(b.port, [f"{P}/#"]) as on_b:
            daemon, status = self.start(a.port, [dead, a.uri, b.uri], on_a)
            info = on_a.wait_for(f"{P}/info", lambda p: p["broker"]["uri"] == a.uri)
            self.assertEqual(info["broker"]["node"], 2)
            self.assertEqual(info["broker"]["nodes"], 3)
            # A refused TCP connection looks like a refusal of MQTT 5 to Paho:
            # after the dead node the link speaks 3.1.1 (broker_list.hpp).
            self.assertEqual(info["broker"]["protocol"], "3.1.1")
            self.assertIn(f"connect to {dead} failed", daemon.stderr())

            since = len(on_b.snapshot())
            a.kill()  # SIGKILL: a crashed node
            again = on_b.wait_for(f"{P}/status", online, since=since, timeout=30)
            self.assertGreater(again["session"], status["session"])
            info = on_b.wait_for(f"{P}/info", lambda p: p["broker"]["uri"] == b.uri, since=since)
            self.assertEqual(info["broker"]["node"], 3)
            answer = on_b.request(P, "republish", {})
            self.assertEqual(answer["status"], "ok")


class ProtocolFallback(ClusterTest):
    def check_fallback(self, mode):
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        peer = V311OnlyPeer(broker.port, mode=mode)
        self.addCleanup(peer.close)
        with Observer(broker.port, [f"{P}/#"]) as obs:
            daemon, _ = self.start(broker.port, [peer.uri], obs)
            info = obs.wait_for(f"{P}/info")
            self.assertEqual(info["broker"]["protocol"], "3.1.1")
            self.assertEqual(info["broker"]["uri"], peer.uri)
            # First MQTT 5 (protocol version byte 5), then 3.1.1 (4) on the same node.
            self.assertEqual(peer.seen()[:2], [5, 4])
            self.assertIn("did not accept MQTT 5", daemon.stderr())
            # The API on 3.1.1: the answer on P/response/<command> with the request's id.
            obs.publish(f"{P}/request/republish", {"id": "fallback-1"})
            answer = obs.wait_for(f"{P}/response/republish", lambda p: p.get("id") == "fallback-1")
            self.assertEqual(answer["status"], "ok")
            self.assertIsInstance(answer["data"]["topics"], int)
            # The link keeps 3.1.1: a reconnect does not try 5 again.
            versions = len(peer.seen())
            since = len(obs.snapshot())
            peer.drop_connections()
            obs.wait_for(f"{P}/status", online, since=since, timeout=30)
            self.assertEqual(set(peer.seen()[versions:]), {4})

    def test_a_node_that_closes_on_mqtt5(self):
        self.check_fallback(CLOSE)

    def test_a_node_that_answers_unsupported_protocol_version(self):
        self.check_fallback(REFUSE_0X84)

    def test_version_5_does_not_fall_back(self):
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        peer = V311OnlyPeer(broker.port, mode=CLOSE)
        self.addCleanup(peer.close)
        direct = broker.uri
        with Observer(broker.port, [f"{P}/#"]) as obs:
            # Node 1 refuses 5 and `version: 5` forbids the fallback: the gateway goes on to node 2.
            self.start(broker.port, [peer.uri, direct], obs, mqtt_extra="  version: 5\n")
            info = obs.wait_for(f"{P}/info")
            self.assertEqual(info["broker"]["uri"], direct)
            self.assertEqual(info["broker"]["protocol"], "5")
            self.assertEqual(set(peer.seen()), {5})


class BrokerMemory(ClusterTest):
    def test_subscribes_again_although_the_broker_claims_a_session(self):
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        # A node that says "session present" on every CONNACK but has nothing.
        peer = V311OnlyPeer(broker.port, claim_session=True)
        self.addCleanup(peer.close)
        with Observer(broker.port, [f"{P}/#"]) as obs:
            self.start(broker.port, [peer.uri], obs, mqtt_extra="  version: 3\n")
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")
            since = len(obs.snapshot())
            peer.drop_connections()
            obs.wait_for(f"{P}/status", online, since=since, timeout=30)
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")

    def test_a_late_will_is_answered_with_online_and_all_retained_state(self):
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        with Observer(broker.port, [f"{P}/#"]) as obs:
            _, status = self.start(broker.port, [broker.uri], obs)
            obs.wait_for(f"{P}/info")
            since = len(obs.snapshot())
            # What a cluster does long after the gateway moved to another node:
            # publishes the will of the connection on the crashed node.
            late_will = {"state": "offline", "session": status["session"] - 1, "reason": "connection-lost"}
            obs.publish(f"{P}/status", late_will, retain=True)
            again = obs.wait_for(f"{P}/status", online, since=since)
            self.assertEqual(again["session"], status["session"])
            obs.wait_for(f"{P}/info", since=since)
        # A platform that looks now sees the gateway online (retained).
        with Observer(broker.port, [f"{P}/status"]) as late:
            self.assertEqual(late.wait_for(f"{P}/status")["state"], "online")

    def test_a_stale_retained_status_on_subscribing_is_not_a_late_will(self):
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        with Observer(broker.port, [f"{P}/#"]) as obs:
            # Left by an earlier run: the broker hands it over when the gateway subscribes.
            obs.publish(f"{P}/status", {"state": "offline", "session": 0, "reason": "connection-lost"},
                        retain=True)
            daemon, _ = self.start(broker.port, [broker.uri], obs)
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")
            self.assertNotIn("late will", daemon.stderr())


class IdempotentRequests(ClusterTest):
    def test_a_repeated_id_is_answered_again_not_executed_again(self):
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        with Observer(broker.port, [f"{P}/#"]) as obs:
            self.start(broker.port, [broker.uri], obs)
            obs.wait_for(f"{P}/info")

            def infos():
                return sum(1 for m in obs.snapshot() if m.topic == f"{P}/info")

            before = infos()
            # `republish` has a visible effect: one P/info per execution.
            for _ in range(3):  # the first and two redeliveries
                obs.publish(f"{P}/request/republish", {"id": "op-1"})
            answers = obs.wait_all(f"{P}/response/republish", lambda p: p.get("id") == "op-1", 3)
            self.assertEqual(answers[0], answers[1])
            self.assertEqual(answers[0], answers[2])
            # A new id runs. Its answer goes out *before* the P/info it announces
            # (docs/mqtt-api.md, republish), so wait for that P/info after the
            # answer; every P/info of op-1 came before it (one connection, in order).
            obs.publish(f"{P}/request/republish", {"id": "op-2"})
            obs.wait_for(f"{P}/response/republish", lambda p: p.get("id") == "op-2")
            answered_at = next(i for i, m in enumerate(obs.snapshot())
                               if m.topic == f"{P}/response/republish" and b'"op-2"' in m.payload)
            obs.wait_for(f"{P}/info", since=answered_at)
            self.assertEqual(infos() - before, 2)
            # The same id under another command is another request.
            obs.publish(f"{P}/request/schedule/get", {"id": "op-1"})
            got = obs.wait_for(f"{P}/response/schedule/get", lambda p: p.get("id") == "op-1")
            self.assertNotEqual(got.get("data"), answers[0].get("data"))

    def test_a_reused_id_with_other_arguments_or_reply_topic_runs(self):
        broker = Mosquitto()
        self.addCleanup(broker.stop)
        with Observer(broker.port, [f"{P}/#"], protocol=mqtt.MQTTv5) as obs:
            self.start(broker.port, [broker.uri], obs)
            obs.wait_for(f"{P}/info")

            def infos():
                return sum(1 for m in obs.snapshot() if m.topic == f"{P}/info")

            marks = iter(range(1000))

            def ask(payload, count, topic=f"{P}/response/republish", properties=None):
                """Sends `payload` `count` times, then a fresh request as a marker: the
                gateway serves in order on one connection, so when the marker's answer
                is in, so is the P/info of every execution before it."""
                since = len(obs.snapshot())
                for _ in range(count):
                    obs.publish(f"{P}/request/republish", payload, properties=properties)
                mark = f"mark-{next(marks)}"
                obs.publish(f"{P}/request/schedule/get", {"id": mark})
                got = obs.wait_all(topic, lambda p: p.get("id") == payload["id"], count, since=since)
                obs.wait_for(f"{P}/response/schedule/get", lambda p: p.get("id") == mark, since=since)
                return got

            before = infos()
            first = ask({"id": "op-1"}, 2)  # the request and its redelivery: one run
            self.assertEqual(first[0], first[1])
            self.assertEqual(infos() - before, 1)
            # The same id with other arguments is a new request, and runs; its copy does not.
            ask({"id": "op-1", "note": "again"}, 2)
            self.assertEqual(infos() - before, 2)
            # The same request asking for its answer elsewhere (MQTT 5) runs once more.
            props = Properties(PacketTypes.PUBLISH)
            props.ResponseTopic = f"{P}/response/_test/worker-1"
            props.CorrelationData = b"c-1"
            elsewhere = ask({"id": "op-1"}, 2, props.ResponseTopic, props)
            self.assertEqual(elsewhere[0], elsewhere[1])
            self.assertEqual(infos() - before, 3)


if __name__ == "__main__":
    unittest.main()
