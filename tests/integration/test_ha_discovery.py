"""Home Assistant MQTT discovery (docs/integrations.md) seen from the platform
side: the real lyktad against a real mosquitto and `lykta-sim dali`.

A client that behaves like Home Assistant's MQTT integration reads every
retained config under the discovery prefix and checks it against Home
Assistant's documented discovery schema (home-assistant.io,
source/_integrations/mqtt.markdown "MQTT Discovery", light.mqtt.markdown
"Default schema - Configuration", sensor.mqtt.markdown "Configuration"; the
commits are cited in gateway/mqtt/ha_discovery.hpp). Templates are rendered with
Jinja2, the engine Home Assistant renders them with, with `value` and
`value_json` as it passes them. It then drives an area light the way Home
Assistant does (brightness command, turn off), sees the level in
P/area/<id>/state and at the simulator, restarts the daemon (unique_ids stay),
and removes an area and a luminaire from the config (SIGHUP: empty retained
configs)."""
import json
import os
import re
import signal
import sqlite3
import tempfile
import unittest

import jinja2

import test_dali_gateway as dali_test
from harness import Lyktad, Mosquitto, Observer, dali_sim, minimal_config, wait_until, write_config

P = "lykta/test-gw"
DISCOVERY = "homeassistant"
level_of = dali_test.level_of

# The documented keys (light default schema, sensor, and the discovery payload's
# shared ones): a config with any other key would be silently ignored by Home
# Assistant ("unknown configuration keys are allowed but ignored"), so a typo
# here is a bug the integrator would never see.
AVAILABILITY_KEYS = {"topic", "payload_available", "payload_not_available", "value_template"}
DEVICE_KEYS = {"configuration_url", "connections", "hw_version", "identifiers", "manufacturer", "model",
               "model_id", "name", "serial_number", "suggested_area", "sw_version", "via_device"}
COMMON_KEYS = {"availability", "availability_mode", "availability_template", "availability_topic", "device",
               "enabled_by_default", "encoding", "entity_category", "icon", "json_attributes_template",
               "json_attributes_topic", "name", "object_id", "payload_available", "payload_not_available", "qos",
               "unique_id"}
LIGHT_KEYS = COMMON_KEYS | {
    "brightness_command_topic", "brightness_command_template", "brightness_scale", "brightness_state_topic",
    "brightness_value_template", "command_topic", "on_command_type", "optimistic", "payload_off", "payload_on",
    "retain", "schema", "state_topic", "state_value_template"}
SENSOR_KEYS = COMMON_KEYS | {"device_class", "expire_after", "force_update", "state_class", "state_topic",
                             "unit_of_measurement", "value_template"}
REQUIRED = {"light": {"command_topic"}, "sensor": {"state_topic"}}
KNOWN = {"light": LIGHT_KEYS, "sensor": SENSOR_KEYS}
TOPIC = re.compile(rf"^{DISCOVERY}/(light|sensor)/([a-zA-Z0-9_-]+)/([a-zA-Z0-9_-]+)/config$")
COMMANDS = {f"{P}/request/area/set", f"{P}/request/luminaire/set"}

LIGHTING = """
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{port}", sweep_s: 0.3 }}
luminaires:
  - {{ id: "L-{{n}}", bus: bus1, addresses: 0..1, first: 1, area: torget }}
  - {{ id: P-1, bus: bus1, address: 2, area: park, discovery: light }}
  - {{ id: P-2, bus: bus1, address: 3, area: park, discovery: none }}
areas:
  - {{ id: torget, name: Torget, profile: dim }}
  - {{ id: park, profile: dim }}
profiles:
  dim:
    - {{ at: "12:00", level: 20 }}
"""
MQTT = "  discovery: homeassistant\n"

JINJA = jinja2.Environment()


def render(template, payload):
    """A value template as Home Assistant renders it: `value` the payload text,
    `value_json` the payload parsed."""
    return JINJA.from_string(template).render(value=payload, value_json=json.loads(payload)).strip()


def ha_brightness_to_device(brightness_255, scale):
    """Home Assistant's brightness (0..255) to the device's scale, rounded, at least 1."""
    return max(1, min(scale, round(brightness_255 / 255 * scale)))


class HomeAssistantDiscovery(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="lykta-ha-")
        self.addCleanup(self.dir.cleanup)
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        self.port, self.control = dali_sim(self, 4)
        self.store = os.path.join(self.dir.name, "lykta.db")
        self.config_text = minimal_config(self.broker.port, self.store, extra=LIGHTING.format(port=self.port),
                                          mqtt_extra=MQTT)
        self.config = write_config(self.dir.name, self.config_text)

    def start(self):
        with Observer(self.broker.port, [f"{P}/status"]) as obs:
            daemon = Lyktad(self.config)
            self.addCleanup(daemon.stop)
            obs.wait_for(f"{P}/status", lambda p: p and p.get("state") == "online")
        return daemon

    def retained(self, count):
        """What a client subscribing now gets: the retained discovery configs and
        the gateway's retained topics ({topic: payload text}). Retained messages
        go out on subscribing, ahead of the marker published afterwards."""
        with Observer(self.broker.port, [f"{DISCOVERY}/#", f"{P}/#", "marker/done"]) as ha:
            wait_until(lambda: len([m for m in ha.snapshot() if m.topic.startswith(DISCOVERY)]) >= count,
                       what=f"{count} retained discovery configs")
            ha.publish("marker/done", "x")
            ha.wait_for("marker/done")
            messages = ha.snapshot()
        return {m.topic: m.payload.decode() for m in messages if m.retain}

    def check_config(self, topic, config, retained):
        """One config against the documented schema; returns (component, unique_id)."""
        match = TOPIC.match(topic)
        self.assertTrue(match, f"{topic} is not <prefix>/<component>/<node_id>/<object_id>/config")
        component, node_id = match.group(1), match.group(2)
        self.assertEqual(node_id, "lykta_test-gw")
        self.assertLessEqual(REQUIRED[component], set(config), f"{topic}: required keys")
        self.assertLessEqual(set(config), KNOWN[component], f"{topic}: undocumented keys")
        self.assertIsInstance(config["unique_id"], str)
        self.assertTrue(config["unique_id"].startswith("lykta:test-gw:"), config["unique_id"])
        self.assertLessEqual(set(config["device"]), DEVICE_KEYS)
        self.assertEqual(config["device"]["identifiers"], ["lykta:test-gw:gateway:test-gw"])
        self.assertEqual(config["device"]["name"], "Test cabinet")
        # Every topic it names is the gateway's: a command it answers, or a
        # retained topic that is there, and P/status says "online" through the
        # availability template.
        self.assertEqual(config["availability"][0]["topic"], f"{P}/status")
        for availability in config["availability"]:
            self.assertLessEqual(set(availability), AVAILABILITY_KEYS)
            self.assertIn(availability["topic"], retained, f"{topic}: availability topic not published")
            self.assertEqual(render(availability["value_template"], retained[availability["topic"]]),
                             availability.get("payload_available", "online"))
        for key, value in config.items():
            if not key.endswith("_topic"):
                continue
            if key.endswith("command_topic"):
                self.assertIn(value, COMMANDS, f"{topic}: {key}")
            else:
                self.assertIn(value, retained, f"{topic}: {key} {value} is not a retained topic of the gateway")
        if component == "light":
            self.assertEqual(config["brightness_scale"], 100)
            self.assertEqual(config["on_command_type"], "brightness")
            self.assertFalse(config["retain"])
            state = render(config["state_value_template"], retained[config["state_topic"]])
            self.assertIn(state, {config["payload_on"], config["payload_off"]}, f"{topic}: state {state!r}")
        else:
            value = render(config["value_template"], retained[config["state_topic"]])
            float(value)  # a number (the sensor's unit is %, or a fault count)
        return component, config["unique_id"]

    def configs(self, retained):
        return {t: json.loads(p) for t, p in retained.items() if t.startswith(DISCOVERY + "/") and p}

    def recorded(self):
        """The store's record of the configs the broker holds (read beside the running daemon: WAL)."""
        db = sqlite3.connect(self.store)
        try:
            return {row[0] for row in db.execute("SELECT topic FROM mqtt_discovery")}
        finally:
            db.close()

    def wait_gear(self, address, percent, what):
        wait_until(lambda: self.control.value(f"level? {address}") == level_of(percent), 10, what=what)

    def test_configs_follow_the_schema_drive_the_gear_survive_a_restart_and_leave_with_the_config(self):
        daemon = self.start()
        for a in range(4):
            self.wait_gear(a, 20, f"schedule level on gear {a}")
        # 2 areas, L-1/L-2 sensors, P-1 light, P-2 none, the fault count.
        expected = {
            f"{DISCOVERY}/light/lykta_test-gw/area_torget/config",
            f"{DISCOVERY}/light/lykta_test-gw/area_park/config",
            f"{DISCOVERY}/sensor/lykta_test-gw/luminaire_L-1/config",
            f"{DISCOVERY}/sensor/lykta_test-gw/luminaire_L-2/config",
            f"{DISCOVERY}/light/lykta_test-gw/luminaire_P-1/config",
            f"{DISCOVERY}/sensor/lykta_test-gw/alarms_test-gw/config",
        }
        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            for i in ("L-1", "L-2", "P-1"):
                obs.wait_for(f"{P}/luminaire/{i}/state", lambda p: p and p.get("level") and p.get("available"))
        retained = self.retained(len(expected))
        configs = self.configs(retained)
        self.assertEqual(set(configs), expected)
        unique_ids = {}
        for topic, config in configs.items():
            component, unique_id = self.check_config(topic, config, retained)
            unique_ids[topic] = unique_id
        self.assertEqual(len(set(unique_ids.values())), len(expected), "unique_ids are unique")
        torget = configs[f"{DISCOVERY}/light/lykta_test-gw/area_torget/config"]
        self.assertEqual(torget["name"], "Torget")
        self.assertEqual(render(torget["state_value_template"], retained[torget["state_topic"]]), "ON")
        self.assertEqual(float(render(torget["brightness_value_template"], retained[torget["state_topic"]])), 20.0)

        # Drive the area as Home Assistant does: a brightness of 102/255 (40 %), then off.
        with Observer(self.broker.port, [f"{P}/#"]) as ha:
            value = ha_brightness_to_device(102, torget["brightness_scale"])
            command = JINJA.from_string(torget["brightness_command_template"]).render(value=value)
            since = len(ha.snapshot())
            ha.publish(torget["brightness_command_topic"], command, qos=torget["qos"], retain=False)
            answer = ha.wait_for(f"{P}/response/area/set", lambda p: p is not None, since=since)
            self.assertEqual(answer["status"], "ok", answer)
            state = ha.wait_for(torget["state_topic"], lambda p: p and p.get("level") == 40.0, since=since)
            self.assertEqual(state["mode"], "override")
            for a in (0, 1):
                self.wait_gear(a, 40, f"gear {a} at 40 % through Home Assistant's command")
            self.wait_gear(2, 20, "the park is left alone")
            self.assertEqual(render(torget["brightness_value_template"], json.dumps(state)), "40.0")

            since = len(ha.snapshot())
            ha.publish(torget["command_topic"], torget["payload_off"], qos=torget["qos"], retain=False)
            off = ha.wait_for(torget["state_topic"], lambda p: p and p.get("level") == 0.0, since=since)
            self.assertEqual(render(torget["state_value_template"], json.dumps(off)), torget["payload_off"])
            for a in (0, 1):
                self.wait_gear(a, 0, f"gear {a} off through Home Assistant's command")

            # A luminaire light: its own luminaire/set.
            p1 = configs[f"{DISCOVERY}/light/lykta_test-gw/luminaire_P-1/config"]
            command = JINJA.from_string(p1["brightness_command_template"]).render(value=70)
            ha.publish(p1["brightness_command_topic"], command, qos=p1["qos"])
            self.wait_gear(2, 70, "P-1 at 70 % through its own light")
            self.wait_gear(3, 20, "P-2 (no entity) left alone")

        # A restart: the same configs, the same unique_ids.
        self.assertEqual(daemon.stop(signal.SIGTERM), 0)
        daemon = self.start()
        again = self.configs(self.retained(len(expected)))
        self.assertEqual({t: c["unique_id"] for t, c in again.items()}, unique_ids)

        # The park and P-1 leave the config: their configs are removed (empty retained) on SIGHUP.
        with open(self.config, "w") as f:
            f.write(self.config_text.replace(
                "  - { id: P-1, bus: bus1, address: 2, area: park, discovery: light }\n"
                "  - { id: P-2, bus: bus1, address: 3, area: park, discovery: none }\n", "").replace(
                "  - { id: park, profile: dim }\n", ""))
        gone = {f"{DISCOVERY}/light/lykta_test-gw/area_park/config",
                f"{DISCOVERY}/light/lykta_test-gw/luminaire_P-1/config"}
        with Observer(self.broker.port, [f"{DISCOVERY}/#"]) as ha:
            daemon.signal(signal.SIGHUP)
            for topic in gone:
                ha.wait_for(topic, lambda p: p is None, timeout=15)  # the empty retained payload
        wait_until(lambda: "removing Home Assistant discovery config" in daemon.stderr(), what="removal logged")
        left = self.configs(self.retained(len(expected) - len(gone)))
        self.assertEqual(set(left), expected - gone)
        # The record follows once the broker acknowledged the removals.
        wait_until(lambda: self.recorded() == expected - gone, what="the record without the removed configs")

    def test_turning_discovery_off_removes_every_config(self):
        daemon = self.start()
        with Observer(self.broker.port, [f"{DISCOVERY}/#"]) as ha:
            wait_until(lambda: len(ha.snapshot()) >= 5, what="the retained configs")
            published = {m.topic for m in ha.snapshot() if m.payload}
            with open(self.config, "w") as f:
                f.write(self.config_text.replace(MQTT, ""))
            daemon.signal(signal.SIGHUP)
            for topic in published:
                ha.wait_for(topic, lambda p: p is None, timeout=15)
        with Observer(self.broker.port, [f"{DISCOVERY}/#", "marker/done"]) as late:
            late.publish("marker/done", "x")
            late.wait_for("marker/done")
            self.assertEqual([m.topic for m in late.snapshot() if m.retain], [])
        wait_until(lambda: self.recorded() == set(), what="an empty record")

if __name__ == "__main__":
    unittest.main()
