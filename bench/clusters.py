"""Three-node MQTT broker clusters on loopback, run as this process's own
children in a temporary directory and stopped by PID (never through the
services the Debian packages install): RabbitMQ 3.10 with `rabbitmq_mqtt`
(quorum queues), aedes nodes sharing one Redis, and a mosquitto bridge tree as
the baseline. Each node can be killed with SIGKILL and started again.
Used by bench/fleet_cluster.py and tests/fleet/. Loopback only; every
wait has a deadline."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

import common  # noqa: F401  (puts tests/integration on sys.path)
from harness import Process, free_port, port_open, wait_port, wait_until

FLEET_PREFIX = os.environ.get("LYKTA_FLEET_PREFIX", "/opt/lykta-fleet")
RABBIT_BIN = "/usr/lib/rabbitmq/bin"
HERE = os.path.dirname(os.path.abspath(__file__))


def missing(kind):
    """Why the `kind` cluster cannot run here (None when it can)."""
    if kind == "rabbitmq" and not os.path.exists(os.path.join(RABBIT_BIN, "rabbitmq-server")):
        return "rabbitmq-server is not installed (scripts/setup.sh installs it)"
    if kind == "aedes":
        if not shutil.which("redis-server"):
            return "redis-server is not installed (scripts/setup.sh --fleet)"
        if not shutil.which("node") or not os.path.isdir(os.path.join(FLEET_PREFIX, "node_modules", "aedes")):
            return f"aedes is not installed in {FLEET_PREFIX} (scripts/setup.sh --fleet)"
    if kind == "mosquitto" and not (shutil.which("mosquitto") or os.path.exists("/usr/sbin/mosquitto")):
        return "mosquitto is not installed"
    return None


class Node:
    """One broker node: a Process with its MQTT port."""

    def __init__(self, name, port, argv, env=None, cwd=None, pid_file=None, log_file=None):
        """pid_file: where the broker writes the PID of the process that really
        serves (RabbitMQ's start script runs beam.smp as a child and waits).
        log_file: the broker's own log, shown when the node fails to come up."""
        self.name, self.port, self.argv, self.env, self.cwd = name, port, argv, env, cwd
        self.pid_file, self.log_file = pid_file, log_file
        self.proc = None
        self.cpu_before = 0.0  # CPU seconds of earlier incarnations (before a kill)

    @property
    def uri(self):
        return f"tcp://127.0.0.1:{self.port}"

    def launch(self):
        if self.pid_file and os.path.exists(self.pid_file):
            os.unlink(self.pid_file)
        self.proc = Process(self.argv, env=self.env, cwd=self.cwd)

    def start(self, timeout=120):
        self.launch()
        self.wait_serving(timeout)

    def wait_serving(self, timeout):
        """Until the MQTT port accepts a connection; a node that exits or stays
        deaf fails with its exit status and the tails of its output and log."""
        try:
            wait_until(lambda: port_open(self.port) or not self.alive(), timeout,
                       what=f"{self.name} to accept MQTT connections on port {self.port}")
        except AssertionError as e:
            raise AssertionError(f"{e}\n{self.diagnosis()}") from None
        if not port_open(self.port):
            raise AssertionError(f"{self.name} exited with status {self.proc.proc.returncode} before it "
                                 f"accepted MQTT connections on port {self.port}\n{self.diagnosis()}")

    def diagnosis(self):
        """What the node said: its start script's stdout and stderr and the end of its own log."""
        out = []
        while not self.proc.lines.empty():
            out.append(self.proc.lines.get_nowait())
        text = [f"--- {self.name} stdout (last 40 lines):", *out[-40:],
                f"--- {self.name} stderr:", self.proc.stderr()[-3000:]]
        if self.log_file and os.path.exists(self.log_file):
            with open(self.log_file, errors="replace") as f:
                text += [f"--- {self.log_file} (end):", f.read()[-4000:]]
        return "\n".join(text)

    def pid(self):
        if self.pid_file:
            with open(self.pid_file) as f:
                return int(f.read().strip())
        return self.proc.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.running()

    def kill(self):
        from common import cpu_seconds
        try:
            self.cpu_before += cpu_seconds(self.pid())
        except OSError:
            pass
        if self.pid_file:
            os.kill(self.pid(), signal.SIGKILL)
            self.proc.wait(30)  # the start script sees its child die and exits
        else:
            self.proc.signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self):
        if self.alive():
            self.proc.stop(timeout=30)


class Cluster:
    kind = "?"
    version = "?"

    def __init__(self, n=3):
        """Starts the n nodes (the subclass's start()); a cluster that fails to
        come up is stopped before the error is raised, so none of its nodes or
        helpers outlive the run."""
        self.dir = tempfile.mkdtemp(prefix=f"lykta-{self.kind}-")
        self.nodes = []
        self.extra = []  # helper processes (Redis, epmd)
        try:
            self.start(n)
        except BaseException:
            self.stop()
            raise

    def start(self, n):
        raise NotImplementedError

    @property
    def uris(self):
        return [n.uri for n in self.nodes]

    def kill(self, i):
        self.nodes[i].kill()

    def restart(self, i):
        self.nodes[i].start()

    def stop(self):
        for n in reversed(self.nodes):
            try:
                n.stop()
            except Exception:  # noqa: BLE001 - best effort at teardown
                if n.proc:
                    n.proc.kill()
        for p in self.extra:
            p.stop()
        # The cluster's directory holds only its own data, logs and cookie;
        # LYKTA_CLUSTER_KEEP=1 keeps it, for the nodes' logs.
        if os.environ.get("LYKTA_CLUSTER_KEEP"):
            print(f"{self.kind} cluster directory kept: {self.dir}", flush=True)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class RabbitCluster(Cluster):
    """RabbitMQ nodes lykta<pid>-<i>@localhost, each with its own MQTT listener,
    AMQP and distribution ports, data and log directories; nodes 2 and 3 join
    node 1. MQTT sessions on quorum queues (`mqtt.durable_queue_type`, 3.10+)
    survive a node crash; anonymous MQTT logins map to the guest user, which
    `loopback_users = none` allows on 127.0.0.1."""
    kind = "rabbitmq"

    queue_type = "quorum"

    def start(self, n):
        self.version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "rabbitmq-server"],
                                      capture_output=True, text=True).stdout.strip()
        home = os.path.join(self.dir, "home")
        os.makedirs(home)
        with open(os.path.join(home, ".erlang.cookie"), "w") as f:
            f.write(f"LYKTAFLEET{os.getpid()}")
        os.chmod(os.path.join(home, ".erlang.cookie"), 0o400)
        plugins = os.path.join(self.dir, "enabled_plugins")
        with open(plugins, "w") as f:
            f.write("[rabbitmq_mqtt].\n")
        # The cluster's own Erlang port mapper, on loopback and a private port,
        # stopped by PID with the nodes: the nodes would otherwise start a shared
        # `epmd -daemon` on all interfaces that outlives every run, and a killed
        # node's name would be registered in a mapper other runs also use.
        epmd_port = free_port()
        self.extra.append(Process(["epmd", "-port", str(epmd_port), "-address", "127.0.0.1"]))
        wait_port(epmd_port, 30)
        names = [f"lykta{os.getpid()}-{i + 1}@localhost" for i in range(n)]
        # Classic-config peer discovery: the nodes form the cluster as they boot,
        # all at once, with no stop_app/join_cluster round per node.
        discovery = "cluster_formation.peer_discovery_backend = classic_config\n" + "".join(
            f"cluster_formation.classic_config.nodes.{j + 1} = {name}\n" for j, name in enumerate(names))
        self.discovery = discovery
        for i in range(n):
            ndir = os.path.join(self.dir, f"node{i + 1}")
            os.makedirs(ndir)
            env = dict(os.environ, HOME=home, RABBITMQ_NODENAME=names[i],
                       RABBITMQ_CONFIG_FILE=os.path.join(ndir, "rabbitmq"),
                       RABBITMQ_MNESIA_BASE=os.path.join(ndir, "mnesia"), RABBITMQ_LOG_BASE=ndir,
                       RABBITMQ_ENABLED_PLUGINS_FILE=plugins,
                       RABBITMQ_PID_FILE=os.path.join(ndir, "pid"), ERL_EPMD_PORT=str(epmd_port),
                       ERL_EPMD_ADDRESS="127.0.0.1", ERL_CRASH_DUMP=os.path.join(ndir, "erl_crash.dump"),
                       # One scheduler per core: three nodes share two cores with everything else.
                       RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+S 2:2 +sbwt none +sbwtdcpu none +sbwtdio none")
            node = Node(names[i], free_port(), [os.path.join(RABBIT_BIN, "rabbitmq-server")], env=env,
                        pid_file=env["RABBITMQ_PID_FILE"], log_file=os.path.join(ndir, f"{names[i]}.log"))
            self.configure(node)
            self.nodes.append(node)
        self.env = self.nodes[0].env
        for node in self.nodes:
            node.launch()
        for node in self.nodes:
            node.wait_serving(240)
        running = self.ctl(self.nodes[0], "cluster_status", "--formatter", "json")
        for name in names:
            if name not in running:
                raise RuntimeError(f"RabbitMQ node {name} did not join the cluster: {running[:500]}")

    def configure(self, node):
        """Writes the node's config with a fresh AMQP port and distribution port
        (other nodes find the latter through epmd, so it may change between
        boots; the MQTT port stays, the gateways know it)."""
        node.env["RABBITMQ_DIST_PORT"] = str(free_port())
        with open(node.env["RABBITMQ_CONFIG_FILE"] + ".conf", "w") as f:
            f.write(f"listeners.tcp.default = 127.0.0.1:{free_port()}\n"
                    f"mqtt.listeners.tcp.default = 127.0.0.1:{node.port}\n"
                    "mqtt.allow_anonymous = true\n"
                    "loopback_users = none\n"
                    f"mqtt.durable_queue_type = {self.queue_type}\n"
                    "mqtt.tcp_listen_options.nodelay = true\n"
                    "tcp_listen_options.nodelay = true\n"
                    "management_agent.disable_metrics_collector = true\n"
                    "log.console = false\n"
                    "log.file.level = warning\n" + self.discovery)

    def restart(self, i):
        """Starts a killed node again. While it was down, its AMQP or
        distribution port may have been taken as an ephemeral port by any
        connection on the machine (a parallel test suite makes many); the node
        then exits at boot ("could not bind to distribution port"), and is
        started once more on fresh ports."""
        node = self.nodes[i]
        try:
            node.start()
        except AssertionError as e:
            if node.alive():
                raise
            print(f"{node.name} exited while booting; starting it again on fresh AMQP and distribution "
                  f"ports. Its first boot: {str(e)[-1500:]}", flush=True)
            self.configure(node)
            node.start()

    def ctl(self, node, *args, timeout=120):
        out = subprocess.run([os.path.join(RABBIT_BIN, "rabbitmqctl"), "-n", node.name, *args],
                             env=node.env, capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)} on {node.name}: {out.stderr.strip()[-500:]}")
        return out.stdout


class AedesCluster(Cluster):
    """aedes nodes sharing one Redis (aedes-persistence-redis for sessions,
    subscriptions and retained messages; mqemitter-redis between the nodes)."""
    kind = "aedes"

    def start(self, n):
        redis_port = free_port()
        redis = Process(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                         "--appendonly", "no", "--dir", self.dir])
        self.extra.append(redis)
        wait_port(redis_port)
        with open(os.path.join(FLEET_PREFIX, "node_modules", "aedes", "package.json")) as f:
            import json
            self.version = "aedes " + json.load(f)["version"]
        for i in range(n):
            port = free_port()
            node = Node(f"aedes-{i + 1}", port,
                        ["node", os.path.join(HERE, "aedes_node.mjs"), "--port", str(port), "--redis-port",
                         str(redis_port), "--prefix", FLEET_PREFIX, "--id", f"aedes-{i + 1}"])
            self.nodes.append(node)  # first: a node that fails to come up is stopped with the rest
            node.start()


class MosquittoBridges(Cluster):
    """Not a cluster: node 1 is the central broker, nodes 2 and 3 bridge
    `lykta/#` both ways to it (the bridge tree of docs/scaling.md)."""
    kind = "mosquitto"

    def start(self, n):
        self.version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "mosquitto"],
                                      capture_output=True, text=True).stdout.strip()
        central = free_port()
        for i in range(n):
            port = central if i == 0 else free_port()
            conf = os.path.join(self.dir, f"node{i + 1}.conf")
            with open(conf, "w") as f:
                f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
                        "set_tcp_nodelay true\nmax_queued_messages 100000\n")
                if i:
                    f.write(f"connection bridge{i + 1}\naddress 127.0.0.1:{central}\n"
                            "topic lykta/# both 1\ncleansession true\nrestart_timeout 1 5\n")
            node = Node(f"mosquitto-{i + 1}", port, [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", conf])
            self.nodes.append(node)  # first: a node that fails to come up is stopped with the rest
            node.start()


def make(kind, n=3):
    """A running `kind` cluster of n nodes."""
    return {"rabbitmq": RabbitCluster, "aedes": AedesCluster, "mosquitto": MosquittoBridges}[kind](n)
