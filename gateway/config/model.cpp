#include "gateway/config/model.hpp"

#include <algorithm>

namespace lykta::config {
namespace {
template <class T, class Key>
const T* find_by(const std::vector<T>& items, const std::string& key, Key T::*field) {
    auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.*field == key; });
    return it == items.end() ? nullptr : &*it;
}
}  // namespace

std::string Endpoint::to_string() const {
    if (!device.empty()) return protocol + "://" + device;
    return protocol + "://" + host + ":" + std::to_string(port);
}

const Area* Config::find_area(const std::string& id) const { return find_by(areas, id, &Area::id); }
const Luminaire* Config::find_luminaire(const std::string& id) const {
    return find_by(luminaires, id, &Luminaire::id);
}
const Profile* Config::find_profile(const std::string& name) const {
    return find_by(schedule.profiles, name, &Profile::name);
}
const DaliBus* Config::find_bus(const std::string& id) const { return find_by(dali.buses, id, &DaliBus::id); }

}  // namespace lykta::config
