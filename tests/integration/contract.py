"""Shape checks of the MQTT API v1 payloads (docs/mqtt-api.md, the contract in
its "Gateway presence", "State", "Commands" sections): what a platform relies
on. The same checks run against the real daemon and `lykta-sim fleet`
(test_fleet_sim.py), so the simulator cannot drift from the daemon unnoticed.

Each check returns a list of problems (empty = conforms), so a test can report
all of them at once."""
import re

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
NUMBER = (int, float)


def _need(obj, where, fields):
    """fields: {name: type or tuple of types or callable(value)->bool}."""
    problems = []
    if not isinstance(obj, dict):
        return [f"{where}: not an object: {obj!r}"[:200]]
    for name, kind in fields.items():
        if name not in obj:
            problems.append(f"{where}: missing '{name}'")
            continue
        value = obj[name]
        if isinstance(kind, (type, tuple)):
            ok = isinstance(value, kind) and not (kind in (int, NUMBER) and isinstance(value, bool))
        else:
            ok = kind(value)
        if not ok:
            problems.append(f"{where}: '{name}' = {value!r} has the wrong shape"[:200])
    return problems


def ts(value):
    return isinstance(value, str) and bool(RFC3339.match(value))


def level(value):
    return isinstance(value, NUMBER) and not isinstance(value, bool) and 0 <= value <= 100


def status(p):
    if isinstance(p, dict) and p.get("state") == "online":
        return _need(p, "status", {"state": str, "session": int, "since": ts, "version": str})
    return _need(p, "status", {"state": lambda v: v == "offline", "session": int,
                               "reason": lambda v: v in ("connection-lost", "shutdown")})


def info(p):
    problems = _need(p, "info", {"id": str, "name": str, "version": str, "api": lambda v: v == 1,
                                 "site": dict, "buses": list, "modbus_networks": list, "luminaires": int,
                                 "areas": int, "meters": int, "config_hash": str, "capabilities": list})
    if isinstance(p, dict) and isinstance(p.get("site"), dict):
        problems += _need(p["site"], "info.site", {"latitude": NUMBER, "longitude": NUMBER, "timezone": str})
    if isinstance(p, dict) and "broker" in p:
        problems += _need(p["broker"], "info.broker", {"uri": str, "node": int, "nodes": int,
                                                       "protocol": lambda v: v in ("5", "3.1.1")})
    return problems


def heartbeat(p):
    return _need(p, "heartbeat", {"uptime_s": int, "session": int, "outbox_depth": int, "seq": int,
                                  "telemetry_dropped": int, "requests_rejected_busy": int})


def level_or_null(value):
    """A luminaire's `level` is null until the gear answered a read-back."""
    return value is None or level(value)


def luminaire_state(p):
    problems = _need(p, "luminaire state", {"level": level_or_null, "target": level_or_null, "available": bool,
                                            "lamp_failure": bool, "gear_failure": bool, "area": str,
                                            "reason": dict, "ts": ts})
    if isinstance(p, dict) and isinstance(p.get("reason"), dict):
        problems += _need(p["reason"], "luminaire state.reason", {"source": str})
    return problems


def area_state(p):
    return _need(p, "area state", {
        "level": level, "mode": lambda v: v in ("schedule", "safety", "override", "maintenance", "failsafe"),
        "profile": str, "safety": lambda v: v is None or isinstance(v, dict),
        "override": lambda v: v is None or isinstance(v, dict), "luminaires": int, "failed": int, "ts": ts})


def alarms(p):
    return _need(p, "alarms", {"active": list, "ts": ts})


def event(p):
    return _need(p, "event", {"type": str, "ts": ts, "seq": int})


def topic_check(prefix, topic):
    """The check for a message on `topic` under gateway prefix P, or None."""
    sub = topic[len(prefix) + 1:] if topic.startswith(prefix + "/") else None
    if sub is None:
        return None
    if sub == "status":
        return status
    if sub == "info":
        return info
    if sub == "heartbeat":
        return heartbeat
    if sub == "alarms":
        return alarms
    if sub == "event":
        return event
    if re.fullmatch(r"luminaire/[^/]+/state", sub):
        return luminaire_state
    if re.fullmatch(r"area/[^/]+/state", sub):
        return area_state
    return None


# Requests a platform sends, with the `data` members the contract promises for
# an "ok" answer (docs/mqtt-api.md, "Command list"). `{L}` / `{A}` are replaced
# by a luminaire / area id of the gateway under test.
REQUESTS = [
    ("republish", {}, {"topics": int}),
    ("luminaire/set", {"luminaire": "{L}", "level": 40}, {"override": dict, "levels": dict}),
    ("area/set", {"area": "{A}", "level": 80}, {"override": dict, "levels": dict}),
    ("override/clear", {"area": "{A}"}, {"cleared": list, "levels": dict}),
    ("area/safety", {"area": "{A}", "from": "2026-12-01", "until": "2027-03-01", "reason": "survey",
                     "source": "police", "profile": "night"}, {"flag": dict}),
    ("area/safety/clear", {"area": "{A}"}, {"removed": list}),
    ("schedule/get", {}, {"revision": int, "profiles": dict, "calendar": list, "holidays": dict,
                          "areas": dict}),
    ("luminaire/identify", {"luminaire": "{L}", "seconds": 1}, {"luminaire": str, "until": ts}),
    ("faults/list", {}, {"faults": list}),
    ("faults/report", {}, {}),
    ("report/get", {"from": "2026-11-01", "to": "2026-11-30"}, {}),
    ("explain", {"area": "{A}"}, {"reason": dict, "stack": list}),
    ("inventory/get", {}, {"inventory": list, "total": int, "offset": int}),
]

# Requests the contract answers with an error code, whatever the gateway.
ERRORS = [
    ("luminaire/set", {"luminaire": "NO-SUCH", "level": 40}, "unknown_luminaire"),
    ("area/set", {"area": "no-such", "level": 40}, "unknown_area"),
    ("luminaire/set", {"luminaire": "{L}", "level": 140}, "out_of_range"),
    ("faults/ack", {"fault": "F-none"}, "unknown_fault"),
    ("no/such/command", {}, "unknown_command"),
]


def fill(args, luminaire, area):
    return {k: (v.replace("{L}", luminaire).replace("{A}", area) if isinstance(v, str) else v)
            for k, v in args.items()}


def response(p, rid, data_fields=None, error_code=None):
    problems = _need(p, "response", {"id": lambda v: v == rid, "status": lambda v: v in ("ok", "error")})
    if problems:
        return problems
    if error_code:
        if p["status"] != "error":
            return [f"response {rid}: expected error {error_code}, got {p}"[:300]]
        return _need(p["error"], f"response {rid}.error", {"code": lambda v: v == error_code, "message": str})
    if p["status"] != "ok":
        return [f"response {rid}: expected ok, got {p}"[:300]]
    return _need(p.get("data"), f"response {rid}.data", data_fields or {})
