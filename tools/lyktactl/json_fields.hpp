#pragma once
// Typed reads of fields in JSON that came from the broker (answers, retained
// status/info/alarms). nlohmann's value()/get<>() throw on a non-object or on a
// field of the wrong type; one gateway's bad message must not stop a command
// about a whole fleet, so a field of the wrong type reads as absent.
#include <string>

#include <nlohmann/json.hpp>

namespace lykta::ctl {

inline const nlohmann::json* field(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

inline std::string text_field(const nlohmann::json& j, const char* key, const std::string& absent = "") {
    const auto* f = field(j, key);
    return f && f->is_string() ? f->get<std::string>() : absent;
}

inline double number_field(const nlohmann::json& j, const char* key, double absent = 0) {
    const auto* f = field(j, key);
    return f && f->is_number() ? f->get<double>() : absent;
}

inline bool bool_field(const nlohmann::json& j, const char* key, bool absent = false) {
    const auto* f = field(j, key);
    return f && f->is_boolean() ? f->get<bool>() : absent;
}

inline nlohmann::json object_field(const nlohmann::json& j, const char* key) {
    const auto* f = field(j, key);
    return f && f->is_object() ? *f : nlohmann::json::object();
}

inline nlohmann::json array_field(const nlohmann::json& j, const char* key) {
    const auto* f = field(j, key);
    return f && f->is_array() ? *f : nlohmann::json::array();
}

// The field as it is when it is a number, else null (for output that shows "-").
inline nlohmann::json number_or_null(const nlohmann::json& j, const char* key) {
    const auto* f = field(j, key);
    return f && f->is_number() ? *f : nlohmann::json(nullptr);
}

}  // namespace lykta::ctl
