// The inbound log: dedup forever (DESIGN.md §2.2) and processed marks (§2.4).
#include "store/sqlite/inbound_log.hpp"

#include <stdexcept>
#include <string>

namespace switchboard::store::sqlite {
namespace {

Id existing_event_id(SqliteConnection& connection, const InboundEvent& event) {
  Statement& query = connection.prepare("SELECT id FROM inbound_events WHERE inbox = ?1 AND channel_message_id = ?2");
  query.bind_all(event.inbox, event.channel_message_id);
  if (!query.step()) throw std::logic_error("inbound event vanished during ingest: " + event.channel_message_id);
  return query.int64(0);
}

}  // namespace

std::vector<IngestOutcome> insert_events(SqliteConnection& connection, const std::vector<InboundEvent>& events) {
  std::vector<IngestOutcome> outcomes;
  outcomes.reserve(events.size());
  for (const InboundEvent& event : events) {
    connection
        .prepare(
            "INSERT INTO inbound_events(inbox, channel_message_id, sender_id, payload_json, received_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(inbox, channel_message_id) DO NOTHING")
        .bind_all(event.inbox, event.channel_message_id, event.sender_id, event.payload_json, event.received_at)
        .run();
    if (connection.changes() == 1) {
      outcomes.push_back({connection.last_insert_rowid(), false});
    } else {
      outcomes.push_back({existing_event_id(connection, event), true});
    }
  }
  return outcomes;
}

std::vector<StoredEvent> select_unprocessed_events(SqliteConnection& connection) {
  return select_unprocessed_events_after(connection, 0, -1);  // LIMIT -1: no limit
}

std::vector<StoredEvent> select_unprocessed_events_after(SqliteConnection& connection, Id after, int64_t limit) {
  // Served by the partial index inbound_events_unprocessed: cost follows the
  // backlog, not the size of the log.
  Statement& query = connection.prepare(
      "SELECT id, inbox, channel_message_id, sender_id, payload_json, received_at "
      "FROM inbound_events WHERE processed_at IS NULL AND id > ?1 ORDER BY id LIMIT ?2");
  query.bind_all(after, limit);
  std::vector<StoredEvent> events;
  while (query.step()) {
    StoredEvent stored;
    stored.id = query.int64(0);
    stored.event.inbox = query.text(1);
    stored.event.channel_message_id = query.text(2);
    stored.event.sender_id = query.text(3);
    stored.event.payload_json = query.text(4);
    stored.event.received_at = query.int64(5);
    events.push_back(std::move(stored));
  }
  return events;
}

EventRecord require_unprocessed_event(SqliteConnection& connection, Id event_id) {
  Statement& query = connection.prepare("SELECT received_at, processed_at FROM inbound_events WHERE id = ?1");
  query.bind_all(event_id);
  if (!query.step()) throw std::invalid_argument("inbound event " + std::to_string(event_id) + " does not exist");
  if (!query.is_null(1)) throw EventAlreadyProcessed(event_id);
  return {event_id, query.int64(0)};
}

void set_event_processed(SqliteConnection& connection, Id event_id, std::optional<Id> conversation_id, Millis now) {
  connection
      .prepare(
          "UPDATE inbound_events SET processed_at = ?2, conversation_id = ?3 "
          "WHERE id = ?1 AND processed_at IS NULL")
      .bind_all(event_id, now, conversation_id)
      .run();
  // Checked before in the same transaction; this guards the invariant itself.
  if (connection.changes() != 1) throw EventAlreadyProcessed(event_id);
}

}  // namespace switchboard::store::sqlite
