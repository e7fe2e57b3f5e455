// Contact updates and receipts: each one transaction with its event's
// "processed" mark, so a crash either applies it with the mark or not at all.
#include "store/sqlite/channel_updates.hpp"

#include <optional>

#include "store/sqlite/conversation_records.hpp"
#include "store/sqlite/inbound_log.hpp"
#include "store/sqlite/run_commit.hpp"

namespace switchboard::store::sqlite {
namespace {

using nlohmann::json;

std::optional<std::string> non_empty(const json& sender, const char* key) {
  auto it = sender.find(key);
  if (it == sender.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return std::nullopt;
  return it->get<std::string>();
}

// What the user told us (submitted info) replaces what we had.
void overwrite_contact(SqliteConnection& connection, Id contact_id, const json& sender, Millis now) {
  std::optional<std::string> name = non_empty(sender, "name");
  std::optional<std::string> phone = non_empty(sender, "phone");
  if (!name && !phone) return;
  connection
      .prepare(
          "UPDATE contacts SET name = COALESCE(?2, name), phone = COALESCE(?3, phone), updated_at = ?4 WHERE id = ?1")
      .bind_all(contact_id, name, phone, now)
      .run();
}

// An interaction that is not a message: the window moves, the state does not.
// Contact updates come from channels without threads: the thread key is ''.
void record_interaction(SqliteConnection& connection, Id contact_id, const std::string& inbox, Millis at, Millis now) {
  connection
      .prepare(
          "UPDATE conversations SET last_inbound_at = ?3, updated_at = ?4 WHERE contact_id = ?1 AND inbox = ?2 "
          "AND thread_key = '' AND (last_inbound_at IS NULL OR last_inbound_at < ?3)")
      .bind_all(contact_id, inbox, at, now)
      .run();
  Statement& exists =
      connection.prepare("SELECT 1 FROM conversations WHERE contact_id = ?1 AND inbox = ?2 AND thread_key = ''");
  exists.bind_all(contact_id, inbox);
  bool found = exists.step();
  exists.reset();
  if (found) return;
  connection
      .prepare(
          "INSERT INTO conversations(contact_id, inbox, state, controller, priority, last_inbound_at, created_at, "
          "updated_at) VALUES (?1, ?2, 'bot', 'bot', 1, ?3, ?3, ?4)")
      .bind_all(contact_id, inbox, at, now)
      .run();
}

// Never downgrade: read stays read when a late "delivered" arrives.
constexpr const char* kUpgrade = "(delivery IS NULL OR (delivery = 'delivered' AND ?1 = 'read'))";

int64_t mark_by_platform_id(SqliteConnection& connection, const Receipt& receipt, const std::string& id, Millis now) {
  connection
      .prepare(std::string("UPDATE messages SET delivery = ?1, delivery_at = ?2 WHERE outbox_id IN "
                           "(SELECT id FROM outbox WHERE inbox = ?3 AND platform_message_id = ?4) AND ") +
               kUpgrade)
      .bind_all(receipt.status, now, receipt.inbox, id)
      .run();
  return connection.changes();
}

int64_t mark_up_to_watermark(SqliteConnection& connection, const Receipt& receipt, Millis now) {
  connection
      .prepare(std::string("UPDATE messages SET delivery = ?1, delivery_at = ?2 WHERE direction = 'out' AND "
                           "status = 'sent' AND created_at <= ?5 AND conversation_id IN (SELECT c.id FROM "
                           "conversations c JOIN identities i ON i.contact_id = c.contact_id AND i.inbox = c.inbox "
                           "WHERE c.inbox = ?3 AND i.external_id = ?4) AND ") +
               kUpgrade)
      .bind_all(receipt.status, now, receipt.inbox, receipt.sender_id, receipt.watermark)
      .run();
  return connection.changes();
}

}  // namespace

void write_contact_update(SqliteConnection& connection, const ContactUpdate& update, Millis now) {
  require_unprocessed_event(connection, update.event_id);
  Millis at = update.interaction_at > 0 ? update.interaction_at : now;
  Id contact_id = contact_for_sender(connection, update.inbox, update.sender, at, now);
  if (!update.fill_only) overwrite_contact(connection, contact_id, update.sender, now);
  if (update.interaction_at > 0) record_interaction(connection, contact_id, update.inbox, update.interaction_at, now);
  write_processed_note(connection, update.event_id, update.decision_json, now);
}

int64_t write_receipt(SqliteConnection& connection, const Receipt& receipt, Millis now) {
  require_unprocessed_event(connection, receipt.event_id);
  if (receipt.status != "delivered" && receipt.status != "read") {
    throw std::invalid_argument("receipt status must be \"delivered\" or \"read\"");
  }
  int64_t changed = 0;
  for (const std::string& id : receipt.platform_message_ids)
    changed += mark_by_platform_id(connection, receipt, id, now);
  if (receipt.watermark > 0) changed += mark_up_to_watermark(connection, receipt, now);
  write_processed_note(connection, receipt.event_id, receipt.decision_json, now);
  return changed;
}

void write_decision_note(SqliteConnection& connection, Id conversation_id, const std::string& decision_json,
                         Millis now) {
  connection
      .prepare(
          "INSERT INTO decision_log(event_id, conversation_id, decision_json, created_at) VALUES (NULL, ?1, ?2, ?3)")
      .bind_all(conversation_id, decision_json.empty() ? std::string("{}") : decision_json, now)
      .run();
}

}  // namespace switchboard::store::sqlite
