#pragma once
// The configuration as plain value types (spec: docs/config.md). YAML nodes never
// leave the loader; everything downstream sees only these structs, already
// validated (ids unique, references resolved, values in range).
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/config/time_expr.hpp"
#include "gateway/core/diagnostic.hpp"

namespace lykta::config {

struct GatewayConfig {
    std::string id;
    std::string name;
};

struct Site {
    double latitude = 0;
    double longitude = 0;
    std::string timezone = "UTC";  // IANA zone name, validated against the tz database
};

struct TlsConfig {
    bool enabled = false;  // true when a tls: section is present or the URI is ssl:// / wss://
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
    bool verify_hostname = true;
};

// What a luminaire appears as in Home Assistant's MQTT discovery
// (docs/integrations.md): a dimmable light, a read-only sensor of its level, or nothing.
enum class DiscoveryEntity { light, sensor, none };

struct MqttConfig {
    std::string uri = "tcp://127.0.0.1:1883";  // the first of `uris`
    // Every node of the broker (cluster), tried in this order (docs/scaling.md).
    std::vector<std::string> uris{"tcp://127.0.0.1:1883"};
    std::string client_id;  // default: gateway id
    std::string username;
    std::string password_file;
    TlsConfig tls;
    std::string prefix = "lykta";
    int qos = 1;
    // QoS of the gateway's own subscriptions (requests, its P/status); unset:
    // max(1, qos). 0 for RabbitMQ 3.10 clusters (docs/scaling.md, "Tested brokers").
    std::optional<int> subscribe_qos;
    int subscribed_qos() const { return subscribe_qos.value_or(std::max(1, qos)); }
    // 0 = auto: MQTT 5, falling back to 3.1.1 where a broker refuses 5; 3 = 3.1.1; 5 = 5 only.
    int version = 0;
    int keepalive_s = 30;
    int heartbeat_s = 60;
    int outbox_max_mb = 64;
    int max_payload = 64 * 1024;
    int rate_limit_per_s = 50;  // request rate cap
    // Home Assistant MQTT discovery (docs/integrations.md): off unless asked for.
    bool discovery_homeassistant = false;
    std::string discovery_prefix = "homeassistant";
    DiscoveryEntity discovery_luminaires = DiscoveryEntity::sensor;  // a luminaire's own `discovery` wins
};

struct StoreConfig {
    std::string path = "/var/lib/lykta/lykta.db";
};

struct LogConfig {
    std::string level = "info";
};

// The local control socket lyktactl talks to (docs/config.md, "control").
struct ControlConfig {
    std::string socket = "/run/lykta/lyktad.sock";
};

// The crew's local web page (docs/crew-page.md). Absent section = off: no
// socket, no thread, nothing loaded.
struct HttpConfig {
    std::string host = "127.0.0.1";  // an IPv4 or IPv6 literal
    int port = 8080;
    std::string users_file;     // required: "user:role:hash" lines (lyktactl http passwd)
    std::string tls_cert_file;  // both or neither: HTTPS
    std::string tls_key_file;
    bool tls() const { return !tls_cert_file.empty(); }
    // 127.0.0.0/8 or ::1: only this box (or an SSH tunnel) reaches the page.
    bool loopback() const;
};

// A DALI interface chosen by an endpoint URL ("hasseb:///dev/hidraw0",
// "foxtron://127.0.0.1:23", "foxtron:///dev/ttyUSB0") or the equivalent map form.
struct Endpoint {
    std::string protocol;  // scheme: one of known_dali_protocols()
    std::string host;      // for network endpoints
    int port = 0;
    std::string device;  // for serial/HID endpoints
    std::string to_string() const;
};

struct DaliBus {
    std::string id;
    Endpoint interface;
    double sweep_s = 60;          // status sweep period
    double energy_sweep_s = 900;  // D4i energy/diagnostics read period
};

// DALI interface protocols lyktad can open (docs/dali.md), with what each needs:
// "foxtron" host:port or a device, "hasseb" a device.
const std::vector<std::string>& known_dali_protocols();

// Who owns the DALI group membership of the gear (docs/dali.md, "Group membership"):
// repair = Lykta (read at bus ready, fix what differs from the areas' dali_groups),
// report = another system (read and report only), trust = nobody checks.
enum class GroupMembership { repair, report, trust };

struct DaliConfig {
    std::vector<DaliBus> buses;
    bool commission_on_start = false;
    GroupMembership group_membership = GroupMembership::repair;
};

struct Location {
    double lat = 0;
    double lon = 0;
    std::string street;
    bool present = false;
};

struct Luminaire {
    std::string id;
    std::string bus;
    int address = 0;  // DALI short address 0..63
    std::string area;
    double rated_w = 0;
    Location location;
    std::optional<DiscoveryEntity> discovery = std::nullopt;  // unset: mqtt.discovery_luminaires
};

struct Area {
    std::string id;
    std::string name;
    std::string profile;
    std::string safety_profile;              // may be empty
    std::map<std::string, int> dali_groups;  // bus id -> group 0..15
    std::optional<double> power_on_level;    // fail-safe overrides (percent)
    std::optional<double> system_failure_level;
};

struct ProfileStep {
    TimeExpr at;
    double level = 0;  // percent 0..100
    double fade_s = 0;
};

struct Profile {
    std::string name;
    std::vector<ProfileStep> steps;
    std::optional<double> floor;  // never below this while lit
};

enum class Weekday : std::uint8_t { mon, tue, wed, thu, fri, sat, sun };
using WeekdaySet = std::array<bool, 7>;  // indexed by Weekday

// "MM-DD" (yearly) or "YYYY-MM-DD"; a range "a..b" may cross the new year.
struct DateSpec {
    int year = 0;  // 0 = every year
    int month = 1;
    int day = 1;
    friend bool operator==(const DateSpec&, const DateSpec&) = default;
};

struct DateRange {
    DateSpec first;
    DateSpec last;  // == first for a single date
};

// "last sunday of october", "2nd monday of may": one day per year.
struct NthWeekday {
    int n = 1;  // 1..5 from the start of the month; -1 = the last one
    Weekday weekday = Weekday::mon;
    int month = 1;
    friend bool operator==(const NthWeekday&, const NthWeekday&) = default;
};

struct CalendarRule {
    std::string name;
    std::vector<DateRange> dates;        // empty = any date
    std::vector<NthWeekday> nth;         // empty = any date; else one of them
    bool disable = false;                // "no lighting": `disable: true` or `profile: off`
    std::vector<std::string> holidays;   // names of holiday lists; any date in them matches
    std::optional<WeekdaySet> weekdays;  // empty = any weekday
    std::vector<std::string> areas;      // empty = all areas
    std::string profile;
};

struct Recurrence {
    WeekdaySet weekdays{true, true, true, true, true, true, true};
    int from_minutes = 0;  // local time the window opens on a listed weekday
    int to_minutes = 0;    // closes (next day when <= from)
};

struct SafetyFlag {
    std::string id;  // from config: "cfg-<n>" unless given
    std::string area;
    std::string source;
    std::string reason;
    std::string from;  // "YYYY-MM-DD" or RFC 3339, local dates in the site zone
    std::string until;
    std::optional<Recurrence> recurrence;
    std::string profile;  // empty = the area's safety_profile
};

struct ModbusNetwork {
    std::string id;
    std::string type;  // "rtu" | "tcp"
    std::string device;
    int baud = 9600;
    char parity = 'N';
    int data_bits = 8;
    int stop_bits = 1;
    bool rs485 = false;
    std::string host;
    int port = 502;
    double response_timeout_s = 0.5;
    double byte_timeout_s = 0.05;
    double reopen_after_s = 10;  // only timeouts for this long: close and reopen the port
    int pipeline = 1;            // tcp: requests outstanding at once on the connection (1: one at a time)
};

struct ModbusDevice {
    std::string id;
    std::string network;
    int unit = 1;
    std::string template_name;
    double poll_s = 10;
    std::vector<std::string> areas;  // areas whose energy this meter measures
    double full_publish_s = 300;     // state is published in full at least this often
    int offline_after = 3;           // consecutive failed polls before `available: false`
    bool write_multiple = false;     // FC15/FC16 for every write, whatever the template says
    SourcePos template_pos;          // where `template` is written, for template diagnostics
};

// A contactor output switched with the lighting (docs/modbus.md, "Contactor"):
// on while the policy wants any luminaire of `areas` lit, off otherwise.
struct ModbusContactor {
    std::string device;              // a modbus device id
    std::string value;               // template value written 1/0; empty: the template's contactor_output
    std::vector<std::string> areas;  // areas fed through it
    double retry_s = 2;              // first retry after a failed write; doubles up to 60 s
    double power_up_s = 2;           // gear boot time after mains on; then the levels are sent again
    SourcePos value_pos;             // `value` (or the entry), for template diagnostics
};

struct ModbusConfig {
    std::vector<ModbusNetwork> networks;
    std::vector<ModbusDevice> devices;
    std::vector<ModbusContactor> contactors;
    std::vector<std::string> template_dirs;  // searched in order; relative to the config file
};

// A photocell or lux sensor on a Modbus cabinet input that gates areas inside
// an astro window (docs/policy.md, "Photocell gating"; docs/config.md).
struct Photocell {
    std::string id;
    std::string device;   // Modbus device id
    std::string value;    // template value name: lux (number) or an on/off contact
    SourcePos value_pos;  // where `value` is written, checked against the template later
    std::vector<std::string> areas;
    bool dark_when_closed = true;  // contacts: a closed contact (1) means dark
    int window_before_min = 30;    // the sensor may act this long before sunset/sunrise
    int window_after_min = 30;     // ... and this long after
    double on_below_lux = 30;
    double off_above_lux = 60;
    double confirm_s = 60;
    std::optional<double> max_age_s;  // none: the device's full_publish_s + 2 × poll_s
    double bright_lux = 1000;
    double dark_lux = 5;
    double disagree_s = 1800;
};

struct Schedule {
    std::vector<Profile> profiles;
    std::vector<CalendarRule> calendar;
    std::map<std::string, std::vector<DateSpec>> holidays;
};

// Fault detection and history (docs/faults.md, "Configuration").
struct DebounceCounts {
    int raise_after = 0;  // 0 = the kind's default
    int clear_after = 0;
};

struct FaultsConfig {
    int history_days = 731;           // cleared faults are kept this long
    double fade_grace_s = 120;        // no day_burner/night_outage right after a target change
    double night_outage_ratio = 0.5;  // "far below target": read-back < ratio × target
    double energy_tolerance_pct = 25;
    double energy_tolerance_w = 50;
    std::map<std::string, DebounceCounts> debounce;  // by fault kind name
};

// Statistics (docs/statistics.md).
struct StatisticsConfig {
    double lit_ok_ratio = 0.5;  // lit as required: read-back >= ratio × target
    double flush_s = 300;       // how often open intervals are accounted and persisted
};

struct Config {
    std::string source_file;
    int version = 1;
    GatewayConfig gateway;
    Site site;
    MqttConfig mqtt;
    StoreConfig store;
    LogConfig log;
    ControlConfig control;
    std::optional<HttpConfig> http;
    DaliConfig dali;
    std::vector<Luminaire> luminaires;
    std::vector<Area> areas;
    Schedule schedule;
    std::vector<SafetyFlag> safety_flags;
    ModbusConfig modbus;
    FaultsConfig faults;
    StatisticsConfig statistics;
    std::vector<Photocell> photocells;

    const Area* find_area(const std::string& id) const;
    const Luminaire* find_luminaire(const std::string& id) const;
    const Profile* find_profile(const std::string& name) const;
    const DaliBus* find_bus(const std::string& id) const;
};

}  // namespace lykta::config
