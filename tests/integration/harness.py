"""Fixtures for black-box tests: a private mosquitto, the real lyktad and
lykta-sim processes, and an MQTT observer that waits on events with deadlines.

Run with Debian's /usr/bin/python3 (python3-paho-mqtt 1.6). Everything talks to
127.0.0.1 only, and every wait is bounded.
"""
import json
import os
import queue
import shutil
import signal as signals
import socket
import subprocess
import tempfile
import threading
import time

import paho.mqtt.client as mqtt

BIN = os.environ.get("LYKTA_BIN", os.path.join(os.path.dirname(__file__), "../../build/bin"))
SOURCE = os.environ.get("LYKTA_SOURCE", os.path.join(os.path.dirname(__file__), "../.."))
DEFAULT_TIMEOUT = 15.0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=DEFAULT_TIMEOUT, interval=0.02, what="condition"):
    """Polls predicate() until it is truthy; raises AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def port_open(port):
    """Whether a TCP connection to 127.0.0.1:port is accepted now."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_port(port, timeout=DEFAULT_TIMEOUT):
    wait_until(lambda: port_open(port), timeout, what=f"port {port} to accept connections")


class Process:
    """A child process with captured output; stopped (and reaped) on exit."""

    def __init__(self, argv, env=None, cwd=None):
        self.argv = argv
        self.log_path = tempfile.mktemp(prefix="lykta-proc-", suffix=".log")
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self._log, env=env, cwd=cwd,
                                     start_new_session=True)
        self.lines = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            self.lines.put(raw.decode(errors="replace").rstrip("\n"))

    def read_line(self, prefix="", timeout=DEFAULT_TIMEOUT):
        """Next stdout line starting with prefix (others are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{self.argv[0]}: no stdout line starting with {prefix!r}; "
                                     f"stderr: {self.stderr()[-2000:]}")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line.startswith(prefix):
                return line

    def stderr(self):
        if not self._log.closed:
            self._log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def running(self):
        return self.proc.poll() is None

    def signal(self, sig):
        if self.running():
            self.proc.send_signal(sig)

    def wait(self, timeout=DEFAULT_TIMEOUT):
        return self.proc.wait(timeout=timeout)

    def stop(self, sig=signals.SIGTERM, timeout=DEFAULT_TIMEOUT):
        if self.running():
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode

    def kill(self):
        return self.stop(signals.SIGKILL)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Mosquitto(Process):
    """A private broker on a free loopback port. `extra` is appended to its config."""

    def __init__(self, extra="", port=None, allow_anonymous=True, persistent=False, listener_extra=""):
        """persistent=True keeps sessions and queued messages across restart() (persistence
        file in the broker's temp dir); listener_extra goes right after the listener line."""
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="lykta-mosq-")
        self.conf = os.path.join(self.dir, "mosquitto.conf")
        with open(self.conf, "w") as f:
            if listener_extra:
                f.write("per_listener_settings false\n")
            f.write(f"listener {self.port} 127.0.0.1\n")
            f.write(listener_extra)
            f.write(f"allow_anonymous {'true' if allow_anonymous else 'false'}\n")
            if persistent:
                # Started as root, mosquitto drops to its own user: give it a writable place.
                data = os.path.join(self.dir, "data")
                os.mkdir(data)
                os.chmod(self.dir, 0o755)
                os.chmod(data, 0o777)
                f.write(f"persistence true\npersistence_location {data}/\nautosave_interval 0\n")
            else:
                f.write("persistence false\n")
            f.write(extra)
        super().__init__([shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", self.conf])
        wait_port(self.port)

    @property
    def uri(self):
        return f"tcp://127.0.0.1:{self.port}"

    def restart(self):
        """Stops and starts the broker again on the same port (retained state is lost
        unless the broker is persistent)."""
        self.stop()
        self.start_again()

    def start_again(self):
        """Starts a stopped broker on the same port and config."""
        Process.__init__(self, [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", self.conf])
        wait_port(self.port)


def write_config(directory, text, name="lykta.yaml"):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def minimal_config(broker_port, store_path, gateway_id="test-gw", extra="", mqtt_extra=""):
    """A small valid config; callers append sections with `extra`."""
    return f"""version: 1
gateway: {{ id: {gateway_id}, name: "Test cabinet" }}
site: {{ latitude: 56.4296, longitude: 12.8532, timezone: Europe/Stockholm }}
mqtt:
  uri: tcp://127.0.0.1:{broker_port}
  heartbeat_s: 60
{mqtt_extra}
store: {{ path: {store_path} }}
control: {{ socket: {os.path.join(os.path.dirname(store_path), "lyktad.sock")} }}
log: {{ level: debug }}
{extra}
"""


def flow(mapping):
    """A YAML flow mapping of plain scalars and lists, in the dict's order:
    {"id": "lan", "port": 502, "areas": ["torget"]} -> '{ id: lan, port: 502, areas: [torget] }'."""
    def scalar(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(scalar(x) for x in v) + "]"
        return str(v)
    return "{ " + ", ".join(f"{k}: {scalar(v)}" for k, v in mapping.items()) + " }"


def modbus_tcp_network(port, id="lan", **more):
    """A Modbus TCP network to a simulator on 127.0.0.1:`port`, 0.3 s response timeout."""
    return {"id": id, "type": "tcp", "host": "127.0.0.1", "port": port, "response_timeout_s": 0.3, **more}


def modbus_device(id, unit, template, network="lan", poll_s=0.2, full_publish_s=1, **more):
    """A polled Modbus device; `more` adds keys after the usual ones (offline_after, write_multiple...)."""
    return {"id": id, "network": network, "unit": unit, "template": template, "poll_s": poll_s,
            "full_publish_s": full_publish_s, **more}


def modbus_config(networks, devices, contactors=()):
    """The `modbus:` config section with the shipped device templates; each
    network, device and contactor is a dict (modbus_tcp_network, modbus_device)."""
    lines = ["modbus:", f"  template_dirs: [{os.path.join(SOURCE, 'config/templates')}]", "  networks:"]
    lines += [f"    - {flow(n)}" for n in networks]
    lines += ["  devices:"] + [f"    - {flow(d)}" for d in devices]
    if contactors:
        lines += ["  contactors:"] + [f"    - {flow(c)}" for c in contactors]
    return "\n".join(lines) + "\n"


class Lyktad(Process):
    def __init__(self, config_path, extra_args=(), env=None):
        super().__init__([os.path.join(BIN, "lyktad"), "--config", config_path, *extra_args], env=env)


class Sim(Process):
    """lykta-sim dali|modbus; the first stdout line names the port it listens on."""

    def __init__(self, kind, *args):
        super().__init__([os.path.join(BIN, "lykta-sim"), kind, *args])


class Observer:
    """An MQTT client that records every message on `topics` for assertions."""

    def __init__(self, port, topics=("#",), protocol=mqtt.MQTTv311, client_id=None, clean_session=True,
                 username=None, password=None, ca_file=None):
        """clean_session=False (with a fixed client_id) keeps the subscription and queued
        QoS 1 messages at a persistent broker while the observer or the broker is away."""
        self.messages = []
        self._lock = threading.Lock()
        session_args = {} if protocol == mqtt.MQTTv5 else {"clean_session": clean_session}
        self.client = mqtt.Client(client_id=client_id or f"observer-{os.getpid()}-{id(self)}",
                                  protocol=protocol, **session_args)
        if username:
            self.client.username_pw_set(username, password)
        if ca_file:
            self.client.tls_set(ca_certs=ca_file)
        self.client.reconnect_delay_set(min_delay=0.1, max_delay=0.5)
        connected = threading.Event()
        self.client.on_connect = lambda c, u, f, rc, *a: connected.set()
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port, keepalive=30)
        self.client.loop_start()
        if not connected.wait(DEFAULT_TIMEOUT):
            raise AssertionError(f"observer could not connect to 127.0.0.1:{port}")
        acked = set()
        acked_event = threading.Condition()

        def on_subscribe(client, userdata, mid, *rest):
            with acked_event:
                acked.add(mid)
                acked_event.notify_all()
        self.client.on_subscribe = on_subscribe
        mids = [self.client.subscribe(t, qos=1)[1] for t in topics]
        with acked_event:
            if not acked_event.wait_for(lambda: all(m in acked for m in mids), DEFAULT_TIMEOUT):
                raise AssertionError(f"observer subscriptions {topics} were not acknowledged")

    def _on_message(self, client, userdata, msg):
        with self._lock:
            self.messages.append(msg)

    def snapshot(self):
        with self._lock:
            return list(self.messages)

    def wait_for(self, topic, predicate=lambda payload: True, timeout=DEFAULT_TIMEOUT, since=0):
        """First message on `topic` (index >= since) whose JSON payload satisfies predicate."""
        def find():
            for m in self.snapshot()[since:]:
                if m.topic != topic:
                    continue
                try:
                    payload = json.loads(m.payload) if m.payload else None
                except ValueError:
                    payload = m.payload
                if predicate(payload):
                    return (payload,)
            return None
        return wait_until(find, timeout, what=f"a message on {topic}")[0]

    def publish(self, topic, payload, qos=1, retain=False, properties=None):
        data = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        info = self.client.publish(topic, data, qos=qos, retain=retain, properties=properties)
        info.wait_for_publish(DEFAULT_TIMEOUT)
        return info

    def wait_all(self, topic, predicate, count, timeout=DEFAULT_TIMEOUT, since=0):
        """The first `count` messages on `topic` (index >= since) whose JSON payload satisfies predicate."""
        def find():
            found = []
            for m in self.snapshot()[since:]:
                if m.topic != topic:
                    continue
                try:
                    payload = json.loads(m.payload) if m.payload else None
                except ValueError:
                    continue
                if predicate(payload):
                    found.append(payload)
            return found[:count] if len(found) >= count else None
        return wait_until(find, timeout, what=f"{count} messages on {topic}")

    def request(self, prefix, command, args, timeout=DEFAULT_TIMEOUT):
        """Publishes P/request/<command> with a fresh id and waits for its response."""
        rid = f"t-{time.monotonic_ns()}"
        since = len(self.snapshot())
        self.publish(f"{prefix}/request/{command}", dict(args, id=rid))
        return self.wait_for(f"{prefix}/response/{command}",
                             lambda p: isinstance(p, dict) and p.get("id") == rid, timeout, since)

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def dali_sim(test, gear):
    """A `lykta-sim dali` with `gear` control gear on loopback TCP and its
    control socket, both stopped at the end of `test`: (port, SimControl)."""
    sim = Sim("dali", "--listen", "127.0.0.1:0", "--gear", str(gear), "--control", "127.0.0.1:0")
    test.addCleanup(sim.stop)
    port = int(sim.read_line("listening ").rsplit(":", 1)[1])
    control = SimControl(sim)
    test.addCleanup(control.close)
    return port, control


class SimControl:
    """lykta-sim dali's line-based control socket (--control HOST:PORT): one
    command line, one answer line; an "error" or missing answer fails the test."""

    def __init__(self, sim):
        host, port = sim.read_line("control ").split()[1].rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        self.file = self.sock.makefile("rw")

    def __call__(self, command):
        self.file.write(command + "\n")
        self.file.flush()
        answer = self.file.readline().strip()
        if answer.startswith("error") or not answer:
            raise AssertionError(f"sim control '{command}': {answer!r}")
        return answer

    def value(self, command):
        return int(self(command).split()[-1])

    def close(self):
        self.file.close()
        self.sock.close()
