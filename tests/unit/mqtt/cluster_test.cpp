// The pieces that make the gateway behave on a broker cluster: the node and
// protocol choice (BrokerList). The answers to repeated request ids (AnswerCache
// and the CommandRouter that uses it) are tested in tests/unit/api.
#include <catch2/catch.hpp>

#include "gateway/mqtt/broker_list.hpp"

using namespace lykta::mqtt;

TEST_CASE("broker list: nodes in order, wrapping round", "[mqtt][cluster]") {
    BrokerList list({"tcp://a:1883", "tcp://b:1883", "tcp://c:1883"}, 5);
    CHECK(list.uri() == "tcp://a:1883");
    CHECK_FALSE(list.failed(false));
    CHECK(list.uri() == "tcp://b:1883");
    CHECK_FALSE(list.failed(true));  // version 5 only: no fallback, next node
    CHECK(list.uri() == "tcp://c:1883");
    CHECK(list.version() == 5);
    CHECK_FALSE(list.failed(false));
    CHECK(list.uri() == "tcp://a:1883");
    list.connected();
    CHECK(list.index() == 0);
}

TEST_CASE("broker list: auto falls back to 3.1.1 on the same node at once, then keeps it",
          "[mqtt][cluster]") {
    BrokerList list({"tcp://rabbit1:1883", "tcp://rabbit2:1883"}, 0);
    CHECK(list.version() == 5);
    CHECK(list.protocol_name() == "5");
    CHECK(list.failed(true));  // refused 5: same node again, at once
    CHECK(list.uri() == "tcp://rabbit1:1883");
    CHECK(list.version() == 3);
    CHECK(list.protocol_name() == "3.1.1");
    CHECK_FALSE(list.failed(true));  // 3.1.1 failed too: the next node, still 3.1.1
    CHECK(list.uri() == "tcp://rabbit2:1883");
    CHECK(list.version() == 3);
    list.connected();
    CHECK_FALSE(list.failed(false));
    CHECK(list.version() == 3);  // for the life of the process (Paho, see broker_list.hpp)
}

TEST_CASE("refusals of MQTT 5 as Paho reports them", "[mqtt][cluster]") {
    CHECK(refuses_mqtt5(0x84, 0));        // MQTT 5.0 §3.2.2.2: Unsupported Protocol Version
    CHECK(refuses_mqtt5(0, 1));           // MQTT 3.1.1 §3.2.2.3: unacceptable protocol version
    CHECK(refuses_mqtt5(0, -1));          // closed before CONNACK (or refused TCP: Paho says the same)
    CHECK(refuses_mqtt5(0, -3));          // MQTTASYNC_DISCONNECTED
    CHECK_FALSE(refuses_mqtt5(0x87, 0));  // not authorised: a real answer in MQTT 5
    CHECK_FALSE(refuses_mqtt5(0, 5));     // 3.1.1 not authorised
}

TEST_CASE("broker list: a failure that is no refusal moves on to the next node", "[mqtt][cluster]") {
    BrokerList list({"tcp://a:1883"}, 0);
    CHECK_FALSE(list.failed(false));
    CHECK(list.version() == 5);
}

TEST_CASE("broker list: 3.1.1 forced", "[mqtt][cluster]") {
    BrokerList list({"tcp://a:1883"}, 3);
    CHECK(list.version() == 3);
    CHECK_FALSE(list.failed(true));
    CHECK(list.version() == 3);
}

TEST_CASE("broker list: needs a node", "[mqtt][cluster]") {
    CHECK_THROWS_AS(BrokerList({}, 0), std::invalid_argument);
}
