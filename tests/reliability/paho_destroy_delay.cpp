// Fault injection for test_shutdown_race.py, loaded into lyktad with LD_PRELOAD:
// announces every MQTTAsync_destroy (the Paho C call inside ~mqtt::async_client)
// on stderr and holds it back for LYKTA_DESTROY_DELAY_MS (default 300). A packet
// the test sends in that pause is handled by Paho's receive thread while lyktad
// is tearing its MQTT link down: the window where a late CONNACK once met an
// already destroyed token listener ("pure virtual method called", SIGABRT).
#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

extern "C" void MQTTAsync_destroy(void** handle) {
    using Destroy = void (*)(void**);
    static auto real = reinterpret_cast<Destroy>(dlsym(RTLD_NEXT, "MQTTAsync_destroy"));
    const char* ms = std::getenv("LYKTA_DESTROY_DELAY_MS");
    std::fprintf(stderr, "paho_destroy_delay: MQTTAsync_destroy\n");
    std::fflush(stderr);
    ::usleep(static_cast<useconds_t>((ms ? std::atoi(ms) : 300) * 1000));
    real(handle);
}
