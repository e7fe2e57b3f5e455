// One run, one transaction: message, tags, attributes, plugin state,
// conversation change, outbox rows, decision log and the processed mark.
#include "store/sqlite/run_commit.hpp"

#include <stdexcept>

#include "store/sqlite/conversation_records.hpp"
#include "store/sqlite/inbound_log.hpp"
#include "store/sqlite/outbox_queue.hpp"

namespace switchboard::store::sqlite {
namespace {

void insert_inbound_message(SqliteConnection& connection, const RunCommit& run, Millis received_at) {
  if (!run.record_message) return;
  // The event id is unique: a message already written for this event (it
  // cannot be, as the processed mark commits with it) is kept, not doubled.
  connection
      .prepare(
          "INSERT INTO messages(conversation_id, event_id, direction, author, text, attachments_json, status, "
          "created_at) VALUES (?1, ?2, 'in', ?3, ?4, ?5, 'received', ?6) ON CONFLICT(event_id) DO NOTHING")
      .bind_all(run.conversation_id, run.event_id, run.author, run.text, run.attachments_json, received_at)
      .run();
}

void insert_tags(SqliteConnection& connection, const RunCommit& run, Millis now) {
  for (const std::string& tag : run.tags) {
    connection
        .prepare(
            "INSERT INTO tags(conversation_id, tag, created_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT(conversation_id, tag) DO NOTHING")
        .bind_all(run.conversation_id, tag, now)
        .run();
  }
}

void upsert_attributes(SqliteConnection& connection, const RunCommit& run, Millis now) {
  if (run.attributes.is_null()) return;
  if (!run.attributes.is_object()) throw std::invalid_argument("commit_run: attributes must be a JSON object");
  for (const auto& [key, value] : run.attributes.items()) {
    connection
        .prepare(
            "INSERT INTO attributes(conversation_id, key, value_json, updated_at) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT(conversation_id, key) DO UPDATE SET value_json = excluded.value_json, "
            "updated_at = excluded.updated_at")
        .bind_all(run.conversation_id, key, value.dump(), now)
        .run();
  }
}

void upsert_plugin_state(SqliteConnection& connection, const RunCommit& run) {
  for (const StateWrite& write : run.state_writes) {
    connection
        .prepare(
            "INSERT INTO plugin_state(conversation_id, scope, key, value_json) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT(conversation_id, scope, key) DO UPDATE SET value_json = excluded.value_json")
        .bind_all(run.conversation_id, write.scope, write.key, write.value_json)
        .run();
  }
}

void insert_decision(SqliteConnection& connection, Id event_id, std::optional<Id> conversation_id,
                     const std::string& decision_json, Millis now) {
  connection
      .prepare("INSERT INTO decision_log(event_id, conversation_id, decision_json, created_at) VALUES (?1, ?2, ?3, ?4)")
      .bind_all(event_id, conversation_id, decision_json.empty() ? std::string("{}") : decision_json, now)
      .run();
}

void record_csat(SqliteConnection& connection, const RunCommit& run, Millis now) {
  if (!run.csat_rating) return;
  std::optional<std::string> comment;
  if (!run.csat_comment.empty()) comment = run.csat_comment;
  connection
      .prepare(
          "UPDATE conversations SET csat_rating = ?2, csat_comment = ?3, csat_answered_at = ?4 "
          "WHERE id = ?1 AND csat_asked_at IS NOT NULL AND csat_answered_at IS NULL")
      .bind_all(run.conversation_id, int64_t{*run.csat_rating}, comment, now)
      .run();
}

}  // namespace

std::vector<Id> write_run(SqliteConnection& connection, const RunCommit& run, Millis now) {
  EventRecord event = require_unprocessed_event(connection, run.event_id);
  if (run.open) {
    // The run was decided on a peeked conversation: open it for real now, so
    // the open and the run commit (or fail) together.
    ConversationContext opened =
        open_conversation(connection, run.open->inbox, run.open->sender, run.open->at, now, run.open->thread);
    if (opened.conversation.id != run.conversation_id) {
      throw std::runtime_error("event " + std::to_string(run.event_id) + ": its conversation changed from " +
                               std::to_string(run.conversation_id) + " to " + std::to_string(opened.conversation.id) +
                               " while the pipeline ran");
    }
  }
  std::string inbox = conversation_inbox(connection, run.conversation_id);

  insert_inbound_message(connection, run, event.received_at);
  insert_tags(connection, run, now);
  upsert_attributes(connection, run, now);
  upsert_plugin_state(connection, run);
  apply_conversation_change(connection, run.conversation_id, run.change, now);
  record_csat(connection, run, now);
  std::vector<Id> outbox_ids;
  outbox_ids.reserve(run.outbox.size());
  for (const OutboxItem& item : run.outbox) {
    outbox_ids.push_back(enqueue_reply(connection, run.conversation_id, inbox, item, now));
  }
  insert_decision(connection, run.event_id, run.conversation_id, run.decision_json, now);
  set_event_processed(connection, run.event_id, run.conversation_id, now);
  return outbox_ids;
}

void write_processed_note(SqliteConnection& connection, Id event_id, const std::string& note_json, Millis now) {
  require_unprocessed_event(connection, event_id);
  insert_decision(connection, event_id, std::nullopt, note_json, now);
  set_event_processed(connection, event_id, std::nullopt, now);
}

}  // namespace switchboard::store::sqlite
