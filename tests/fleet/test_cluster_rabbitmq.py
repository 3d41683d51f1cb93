"""A RabbitMQ cluster of three nodes on loopback (Debian's rabbitmq-server
with rabbitmq_mqtt, quorum queues), five real lyktad spread over the nodes,
commands at a fixed rate, one node killed with SIGKILL and started again
only after the command phase: no command lost (the platform retries with the
same id; the gateways answer repeated ids once), no answer on another
gateway's prefix, and every gateway of the killed node online again on
another node while the killed one is still down (with `mqtt.subscribe_qos: 1`
they waited for it: a clean session's QoS 1 queue stays on its node). The
benchmark-sized runs of the same code are scripts/fleet.sh --cluster
(docs/benchmarks.md).

Skips, saying so, when rabbitmq-server is not installed (scripts/setup.sh
installs it)."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
import clusters  # noqa: E402
import fleet_cluster  # noqa: E402

WHY = clusters.missing("rabbitmq")


class RabbitMqClusterNodeKill(unittest.TestCase):
    @unittest.skipIf(WHY, f"SKIPPED: {WHY}")
    def test_five_gateways_survive_a_node_kill(self):
        seconds, kill_at = 20, 4
        figures = fleet_cluster.run("rabbitmq", 5, real=5, rate=5, seconds=seconds, kill_at=kill_at,
                                    restart_after=60, heartbeat_s=5, retry_s=3, settle_s=1)
        fleet_cluster.report(figures)
        self.assertGreater(figures["commands"], 50)
        self.assertEqual(figures["lost"], 0)
        self.assertEqual(figures["leaks"], 0)
        self.assertGreater(figures["gateways_on_killed_node"], 0)
        self.assertTrue(figures["all_back_online"], figures)
        # Back before the killed node was started again (after the command phase).
        self.assertLess(figures["back_online_s"], seconds - kill_at, figures)
        self.assertEqual(figures["subscribe_qos"], 0)
        # RabbitMQ 3.10 refuses MQTT 5: every gateway fell back to 3.1.1.
        self.assertEqual(figures["protocols"]["3.1.1"], 5)


if __name__ == "__main__":
    unittest.main()
