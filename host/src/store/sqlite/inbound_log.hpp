// SQL for the inbound log (table inbound_events): idempotent ingest keyed on
// (inbox, channel_message_id), the unprocessed backlog, and the "processed"
// mark that commits with a run.
//
// Threads: functions take the connection they run on; writes run on the
// writer thread inside a GroupCommitter task.
#pragma once

#include <optional>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace switchboard::store::sqlite {

// One outcome per event, in order; duplicates (earlier calls or earlier in
// `events`) keep the first stored payload and report its id.
std::vector<IngestOutcome> insert_events(SqliteConnection& connection, const std::vector<InboundEvent>& events);

std::vector<StoredEvent> select_unprocessed_events(SqliteConnection& connection);
// The next `limit` unprocessed events with id > after, oldest first.
std::vector<StoredEvent> select_unprocessed_events_after(SqliteConnection& connection, Id after, int64_t limit);

struct EventRecord {
  Id id = 0;
  Millis received_at = 0;
};

// The event, if it exists and is not processed yet. Throws
// EventAlreadyProcessed, or std::invalid_argument for an unknown id.
EventRecord require_unprocessed_event(SqliteConnection& connection, Id event_id);

void set_event_processed(SqliteConnection& connection, Id event_id, std::optional<Id> conversation_id, Millis now);

}  // namespace switchboard::store::sqlite
