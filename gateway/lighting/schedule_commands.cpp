// schedule/get and schedule/set: the running schedule as a revisioned JSON
// document; a set names the revision it edited and replaces whole sections.
#include "gateway/config/schedule_parser.hpp"
#include "gateway/lighting/lighting_commands.hpp"
#include "gateway/lighting/schedule_json.hpp"

namespace lykta::lighting {
namespace ec = api::error_code;

void get_schedule(CommandParts& parts, const nlohmann::json&, api::Responder responder) {
    auto out = schedule_json(parts.policy.config());
    out["revision"] = parts.policy.revision();
    responder.ok(std::move(out));
}

void set_schedule(CommandParts& parts, const nlohmann::json& args, api::Responder responder) {
    auto parsed = policy::schedule_edit_from_request(args);
    if (!parsed.ok()) return answer(responder, parsed.error);
    const auto& edit = *parsed.value;
    const auto current = parts.policy.revision();
    if (edit.revision != current)
        return responder.error(ec::conflict,
                               "schedule is at revision " + std::to_string(current) + ", not " +
                                   std::to_string(edit.revision) + "; get it again and reapply your change",
                               "revision");
    // Partial: sections not given keep their current content.
    auto document = schedule_json(parts.policy.config());
    for (const auto& [key, section] : edit.sections.items()) document[key] = section;
    document.erase("areas");
    const auto text = document.dump(1);  // JSON is YAML: the config's own parsers check it
    auto result = config::parse_schedule(text, parts.policy.base_config(), "schedule");
    if (!result.ok()) {
        const auto problem = schedule_problem(result.diagnostics, text);
        return responder.error(problem.code, problem.message, problem.field);
    }
    std::int64_t revision = 0;
    try {
        revision = parts.policy.store().save_schedule(text, parts.policy.now());
    } catch (const policy::RevisionConflict& e) {
        return responder.error(ec::conflict, e.what(), "revision");
    }
    parts.policy.set_schedule(std::move(*result.schedule), revision);
    parts.uplink.publish_event({{"type", "schedule.changed"}, {"revision", revision}});
    parts.changes.evaluate();
    responder.ok({{"revision", revision}});
}

}  // namespace lykta::lighting
