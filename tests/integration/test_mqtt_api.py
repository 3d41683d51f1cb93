"""MQTT API v1 against a real mosquitto: presence, session counter, the request
envelope and every envelope error code, v5 response topic + correlation data,
reconnect after a broker restart."""
import json
import os
import signal
import tempfile
import unittest

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from harness import Lyktad, Mosquitto, Observer, free_port, minimal_config, wait_port, wait_until, write_config

P = "lykta/test-gw"


def online(p):
    return isinstance(p, dict) and p.get("state") == "online"


class MqttApiTest(unittest.TestCase):
    mqtt_extra = ""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-mqtt-")
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.store = os.path.join(self.dir, "lykta.db")
        self.config = write_config(self.dir, minimal_config(self.broker.port, self.store,
                                                            mqtt_extra=self.mqtt_extra))

    def start_daemon(self, obs):
        since = len(obs.snapshot())
        daemon = Lyktad(self.config)
        self.addCleanup(daemon.stop)
        status = obs.wait_for(f"{P}/status", online, since=since)
        return daemon, status


class Presence(MqttApiTest):
    def test_online_info_and_shutdown(self):
        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            daemon, status = self.start_daemon(obs)
            self.assertIsInstance(status["session"], int)
            self.assertRegex(status["since"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
            self.assertIn("version", status)
            info = obs.wait_for(f"{P}/info")
            self.assertEqual(info["id"], "test-gw")
            self.assertEqual(info["api"], 1)
            self.assertEqual(info["site"]["timezone"], "Europe/Stockholm")
            self.assertIn("republish", info["capabilities"])
            self.assertRegex(info["config_hash"], "^[0-9a-f]{16}$")
            started = obs.wait_for(f"{P}/event", lambda p: p.get("type") == "gateway.started")
            self.assertIsInstance(started["seq"], int)
            self.assertNotIn("historical", started)
            self.assertEqual(daemon.stop(signal.SIGTERM), 0)
            offline = obs.wait_for(f"{P}/status", lambda p: p and p.get("state") == "offline")
            self.assertEqual(offline, {"state": "offline", "session": status["session"], "reason": "shutdown"})
        # retained: a newcomer sees the last word
        with Observer(self.broker.port, [f"{P}/status"]) as late:
            self.assertEqual(late.wait_for(f"{P}/status")["reason"], "shutdown")

    def test_will_on_kill_and_session_increments_across_restarts(self):
        with Observer(self.broker.port, [f"{P}/status"]) as obs:
            daemon, first = self.start_daemon(obs)
            daemon.kill()
            will = obs.wait_for(f"{P}/status", lambda p: p and p.get("state") == "offline")
            self.assertEqual(will, {"state": "offline", "session": first["session"], "reason": "connection-lost"})
            _, second = self.start_daemon(obs)
            self.assertGreater(second["session"], first["session"])

    def test_heartbeat(self):
        self.config = write_config(self.dir, minimal_config(self.broker.port, self.store).replace(
            "heartbeat_s: 60", "heartbeat_s: 1"))
        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            _, status = self.start_daemon(obs)
            beats = obs.wait_all(f"{P}/heartbeat", lambda p: True, 2)
            self.assertGreaterEqual(beats[1]["uptime_s"], beats[0]["uptime_s"])
            for beat in beats:
                self.assertEqual(beat["session"], status["session"])
                self.assertIn("outbox_depth", beat)
                self.assertGreaterEqual(beat["seq"], 1)
            self.assertFalse(any(m.retain for m in obs.snapshot() if m.topic == f"{P}/heartbeat"))


class Envelope(MqttApiTest):
    mqtt_extra = "  max_payload: 2048\n  rate_limit_per_s: 1000\n"

    def raw_request(self, obs, command, payload):
        """Publishes raw bytes and returns the next response on P/response/<command>."""
        since = len(obs.snapshot())
        obs.publish(f"{P}/request/{command}", payload)
        return obs.wait_for(f"{P}/response/{command}", since=since)

    def test_republish_answers_ok_with_the_id(self):
        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            self.start_daemon(obs)
            response = obs.request(P, "republish", {})
            self.assertEqual(response["status"], "ok")
            self.assertTrue(response["id"].startswith("t-"))
            numeric = self.raw_request(obs, "republish", json.dumps({"id": 42}))
            self.assertEqual(numeric["id"], 42)

    def test_unknown_command(self):
        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            self.start_daemon(obs)
            for command in ["no/such", "no/such/either"]:  # luminaire/set is implemented now (lighting)
                response = obs.request(P, command, {"luminaire": "L1", "level": 10})
                self.assertEqual(response["status"], "error")
                self.assertEqual(response["error"]["code"], "unknown_command")
                self.assertIn(command, response["error"]["message"])

    def test_bad_json_variants(self):
        deep = "{\"a\":" + "[" * 100 + "]" * 100 + "}"
        cases = {
            "empty": b"",
            "not json": b"hello",
            "array": b"[1,2,3]",
            "number": b"42",
            "truncated": b'{"id":"x",',
            "nan": b'{"id":"x","level":NaN}',
            "huge number": b'{"id":"x","level":1e999}',
            "invalid utf-8": b'{"id":"\xff\xfe"}',
            "deep nesting": deep.encode(),
        }
        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            daemon, _ = self.start_daemon(obs)
            for name, payload in cases.items():
                with self.subTest(name):
                    response = self.raw_request(obs, "republish", payload)
                    self.assertEqual(response["status"], "error")
                    self.assertEqual(response["error"]["code"], "bad_json")
                    self.assertIsNone(response["id"])
            # still alive and serving
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")
            self.assertTrue(daemon.running())

    def test_too_large(self):
        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            self.start_daemon(obs)
            response = self.raw_request(obs, "republish", json.dumps({"id": "big", "pad": "x" * 4096}))
            self.assertEqual(response["error"]["code"], "too_large")
            self.assertIn("2048", response["error"]["message"])
            just_under = json.dumps({"id": "ok", "pad": "x" * 1900})
            self.assertEqual(self.raw_request(obs, "republish", just_under)["status"], "ok")

    def test_every_request_gets_exactly_one_response_in_order(self):
        with Observer(self.broker.port, [f"{P}/response/#", f"{P}/status"]) as obs:
            self.start_daemon(obs)
            ids = [f"r{i}" for i in range(200)]
            # A second client floods: paho-python 1.6 loses incoming messages when one
            # client publishes from the test thread while its loop thread receives.
            flooder = Observer(self.broker.port, ["unused/topic"])
            self.addCleanup(flooder.close)
            for rid in ids:
                flooder.client.publish(f"{P}/request/republish", json.dumps({"id": rid}), qos=1)
            responses = obs.wait_all(f"{P}/response/republish", lambda p: True, len(ids), timeout=30)
            self.assertEqual([r["id"] for r in responses], ids)
            # and no more than one each: a marker request answered after all of them
            # proves nothing else is still on its way
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")
            all_ids = [json.loads(m.payload)["id"] for m in obs.snapshot() if m.topic == f"{P}/response/republish"]
            self.assertEqual(all_ids[:len(ids)], ids)
            self.assertEqual(len(all_ids), len(ids) + 1)


class RateLimit(MqttApiTest):
    mqtt_extra = "  rate_limit_per_s: 2\n"

    def test_a_flood_over_the_rate_limit_answers_too_busy(self):
        with Observer(self.broker.port, [f"{P}/response/#", f"{P}/status"]) as obs:
            self.start_daemon(obs)
            n = 30
            flooder = Observer(self.broker.port, ["unused/topic"])
            self.addCleanup(flooder.close)
            for i in range(n):
                flooder.client.publish(f"{P}/request/republish", json.dumps({"id": i}), qos=1)
            responses = obs.wait_all(f"{P}/response/republish", lambda p: True, n)
            codes = [r.get("error", {}).get("code", "ok") for r in responses]
            self.assertIn("too_busy", codes)
            self.assertIn("ok", codes)
            self.assertEqual(set(codes), {"ok", "too_busy"})


class Version5(MqttApiTest):
    def test_response_topic_and_correlation_data(self):
        with Observer(self.broker.port, [f"{P}/#", "platform/replies/#"], protocol=mqtt.MQTTv5) as obs:
            self.start_daemon(obs)
            props = Properties(PacketTypes.PUBLISH)
            props.ResponseTopic = "platform/replies/abc"
            props.CorrelationData = b"\x00corr-1\xff"
            since = len(obs.snapshot())
            obs.publish(f"{P}/request/republish", {"id": "v5"}, properties=props)
            wait_until(lambda: any(m.topic == "platform/replies/abc" for m in obs.snapshot()[since:]),
                       what="a response on the v5 response topic")
            reply = next(m for m in obs.snapshot()[since:] if m.topic == "platform/replies/abc")
            self.assertEqual(json.loads(reply.payload)["id"], "v5")
            self.assertEqual(reply.properties.CorrelationData, b"\x00corr-1\xff")
            self.assertFalse(any(m.topic == f"{P}/response/republish" for m in obs.snapshot()[since:]))
            # without a response topic the answer goes to P/response/<command>
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")


class Version311(MqttApiTest):
    mqtt_extra = "  version: 3\n"

    def test_311_client_works(self):
        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            daemon, first = self.start_daemon(obs)
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")
            daemon.kill()
            will = obs.wait_for(f"{P}/status", lambda p: p and p.get("state") == "offline")
            self.assertEqual(will["reason"], "connection-lost")
            self.assertEqual(will["session"], first["session"])


class WebSockets(unittest.TestCase):
    def test_ws_uri(self):
        plain = free_port()
        broker = Mosquitto(listener_extra="protocol websockets\n", extra=f"listener {plain} 127.0.0.1\n")
        self.addCleanup(broker.stop)
        wait_port(plain)
        d = tempfile.mkdtemp(prefix="lykta-ws-")
        config = write_config(d, minimal_config(broker.port, os.path.join(d, "lykta.db")).replace(
            "uri: tcp://", "uri: ws://").replace(f":{broker.port}", f":{broker.port}/mqtt"))
        with Observer(plain, [f"{P}/#"]) as obs:
            daemon = Lyktad(config)
            self.addCleanup(daemon.stop)
            obs.wait_for(f"{P}/status", online)
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")


class Reconnect(MqttApiTest):
    def test_reconnects_resubscribes_and_republishes_after_a_broker_restart(self):
        with Observer(self.broker.port, [f"{P}/status"]) as obs:
            daemon, first = self.start_daemon(obs)
        self.broker.restart()  # retained messages are gone with the old broker
        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            status = obs.wait_for(f"{P}/status", lambda p: online(p) and p["session"] > first["session"],
                                  timeout=20)
            self.assertEqual(status["session"], first["session"] + 1)
            obs.wait_for(f"{P}/info", lambda p: p and p.get("id") == "test-gw")
            self.assertEqual(obs.request(P, "republish", {})["status"], "ok")
            self.assertIn(f"session {first['session']} ended", daemon.stderr())


if __name__ == "__main__":
    unittest.main()
