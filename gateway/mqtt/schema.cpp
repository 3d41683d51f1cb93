#include "gateway/mqtt/schema.hpp"

namespace lykta::mqtt {

void migrate_schema(store::Database& db) {
    db.migrate("mqtt", {
                           // seq is AUTOINCREMENT so a number is never reused, even after the
                           // outbox drained empty: the platform may treat seq as a gap detector.
                           "CREATE TABLE mqtt_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " kind INTEGER NOT NULL, subtopic TEXT NOT NULL, payload TEXT NOT NULL,"
                           " historical INTEGER NOT NULL);"
                           "CREATE INDEX mqtt_outbox_kind ON mqtt_outbox(kind, seq);"
                           // Every retained sub-topic this gateway has published, so topics of ids
                           // removed from the config can be cleared after a restart.
                           "CREATE TABLE mqtt_retained (subtopic TEXT PRIMARY KEY);",
                       });
}

}  // namespace lykta::mqtt
