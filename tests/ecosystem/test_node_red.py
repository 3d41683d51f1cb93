"""The Node-RED flow in deploy/node-red/ in a real Node-RED (npm, pinned by
`scripts/setup.sh --ecosystem`) against the real lyktad, a real mosquitto and
`lykta-sim dali`.

The flow is edited as its user would (broker port, gateway id), deployed
through Node-RED's admin HTTP API on loopback (POST /flows), and its inject node
is triggered the way the editor's button does (POST /inject/<id>). The gateway
must act on the area/set it sends (the area's state and the simulated gear), and
the flow's `mqtt in` must see the area's new state (its debug node, switched to
the console for the test, logs it). Skipped, saying so, when Node-RED is not
installed."""
import json
import os
import queue
import re
import shutil
import sys
import tempfile
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import test_dali_gateway as dali_test  # noqa: E402
from harness import (SOURCE, Lyktad, Mosquitto, Observer, Process, dali_sim, free_port,  # noqa: E402
                     minimal_config, wait_port, wait_until, write_config)

PREFIX = os.environ.get("LYKTA_ECOSYSTEM_PREFIX", "/opt/lykta-ecosystem")
RED_JS = os.environ.get("LYKTA_NODE_RED", os.path.join(PREFIX, "node_modules", "node-red", "red.js"))
NODE = shutil.which("node")
WHY = None if os.path.isfile(RED_JS) and NODE else \
    f"Node-RED is not installed ({RED_JS}; `scripts/setup.sh --ecosystem` installs it)"
FLOW = os.path.join(SOURCE, "deploy", "node-red", "lykta-flow.json")
EXAMPLE_PREFIX = "lykta/bastad-c01"  # what the shipped flow names; the user replaces it
P = "lykta/test-gw"
INJECT_SET = "6c796b7461000010"  # "torget to 50 % for an hour"
DEBUG_STATE = "6c796b7461000021"

LIGHTING = """
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{port}", sweep_s: 0.3 }}
luminaires:
  - {{ id: "L-{{n}}", bus: bus1, addresses: 0..1, first: 1, area: torget }}
areas:
  - {{ id: torget, profile: dim }}
profiles:
  dim:
    - {{ at: "12:00", level: 20 }}
"""

SETTINGS = """module.exports = {{
    uiHost: "127.0.0.1",
    uiPort: {port},
    flowFile: "flows.json",
    credentialSecret: false,
    telemetry: {{ enabled: false }},
    diagnostics: {{ enabled: false }},
    externalModules: {{ autoInstall: false, palette: {{ allowInstall: false }} }},
    logging: {{ console: {{ level: "info" }} }},
}};
"""


class NodeRed(Process):
    def __init__(self, user_dir, port):
        super().__init__([NODE, RED_JS, "--userDir", user_dir, "--settings", os.path.join(user_dir, "settings.js")])
        self.port = port
        self.seen = []

    def output(self):
        while True:
            try:
                self.seen.append(self.lines.get_nowait())
            except queue.Empty:
                return "\n".join(self.seen)

    def admin(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json", **(headers or {})})
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode()
            return answer.status, json.loads(text) if text.strip().startswith(("{", "[")) else text


@unittest.skipIf(WHY, f"SKIPPED: {WHY}")
class NodeRedFlow(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="lykta-node-red-")
        self.addCleanup(self.dir.cleanup)
        self.broker = Mosquitto()
        self.addCleanup(self.broker.stop)
        sim_port, self.control = dali_sim(self, 2)
        config = minimal_config(self.broker.port, os.path.join(self.dir.name, "lykta.db"),
                                extra=LIGHTING.format(port=sim_port))
        with Observer(self.broker.port, [f"{P}/status"]) as obs:
            self.lyktad = Lyktad(write_config(self.dir.name, config))
            self.addCleanup(self.lyktad.stop)
            obs.wait_for(f"{P}/status", lambda p: p and p.get("state") == "online")
        user_dir = os.path.join(self.dir.name, "node-red")
        os.makedirs(user_dir)
        port = free_port()
        with open(os.path.join(user_dir, "settings.js"), "w") as f:
            f.write(SETTINGS.format(port=port))
        self.red = NodeRed(user_dir, port)
        self.addCleanup(self.red.stop)
        wait_port(port, timeout=60)  # Node-RED loads its nodes first: slow on a busy machine

    def flow(self):
        """The shipped flow as its user edits it: their broker, their gateway."""
        with open(FLOW) as f:
            nodes = json.loads(f.read().replace(EXAMPLE_PREFIX, P))
        for node in nodes:
            if node["type"] == "mqtt-broker":
                node["port"] = str(self.broker.port)
            if node["id"] == DEBUG_STATE:
                node["console"] = True  # so the test sees what the flow received
        return nodes

    def test_the_flow_sets_an_area_through_the_gateway_and_sees_its_state(self):
        for a in (0, 1):
            wait_until(lambda: self.control.value(f"level? {a}") == dali_test.level_of(20), 10,
                       what=f"schedule level on gear {a}")
        status, _ = self.red.admin("POST", "/flows", self.flow(), {"Node-RED-Deployment-Type": "full"})
        self.assertIn(status, (200, 204))
        status, deployed = self.red.admin("GET", "/flows")
        self.assertEqual(status, 200)
        self.assertIn(INJECT_SET, {n["id"] for n in deployed})
        wait_until(lambda: "Connected to broker" in self.red.output(), 30, what="the flow's broker connection")

        with Observer(self.broker.port, [f"{P}/#"]) as obs:
            since = len(obs.snapshot())
            status, _ = self.red.admin("POST", f"/inject/{INJECT_SET}")
            self.assertEqual(status, 200)
            answer = obs.wait_for(f"{P}/response/area/set", lambda p: p is not None, since=since)
            self.assertEqual(answer["status"], "ok", answer)
            state = obs.wait_for(f"{P}/area/torget/state", lambda p: p and p.get("level") == 50.0, since=since)
            self.assertEqual(state["mode"], "override")
        for a in (0, 1):
            wait_until(lambda: self.control.value(f"level? {a}") == dali_test.level_of(50), 10,
                       what=f"gear {a} at 50 % from the flow's command")
        # The flow's `mqtt in` got the new state: its debug node logs msg.payload
        # to the console as Node's util.inspect prints it ("[debug:area state]\n{ level: 50, ...").
        logged = re.compile(r"\[debug:area state\][^\[]*?\blevel: 50\b")
        wait_until(lambda: logged.search(self.red.output()), 15, what="the area state in the flow's debug output")


if __name__ == "__main__":
    unittest.main()
