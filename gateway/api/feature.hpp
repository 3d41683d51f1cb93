#pragma once
// A part of the running daemon (lighting, meters, faults, ...), composed by App.
// Features are built after the config, store and uplink exist, started once the
// loop runs and stopped before it ends. They run on the loop thread only.
namespace lykta {

class Feature {
public:
    virtual ~Feature() = default;
    virtual void start() = 0;
    virtual void stop() = 0;
};

}  // namespace lykta
