// The outbox (DESIGN.md §2.5): rows first, network calls second.
#include "store/sqlite/outbox_queue.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace switchboard::store::sqlite {
namespace {

// A result for a row that is unknown or already final is a caller bug (a
// result reported twice); say which.
[[noreturn]] void refuse_transition(SqliteConnection& connection, Id id, OutboxStatus wanted) {
  Statement& query = connection.prepare("SELECT status FROM outbox WHERE id = ?1");
  query.bind_all(id);
  if (!query.step()) throw std::invalid_argument("outbox row " + std::to_string(id) + " does not exist");
  throw std::runtime_error("outbox row " + std::to_string(id) + " is already " + query.text(0) + ", cannot become " +
                           to_string(wanted));
}

void set_message_status(SqliteConnection& connection, Id outbox_id, const char* status) {
  connection.prepare("UPDATE messages SET status = ?2 WHERE outbox_id = ?1").bind_all(outbox_id, status).run();
}

}  // namespace

Id enqueue_reply(SqliteConnection& connection, Id conversation_id, const std::string& inbox, const OutboxItem& item,
                 Millis now) {
  nlohmann::json payload = nlohmann::json::parse(item.payload_json, nullptr, false);
  if (!payload.is_object()) throw std::invalid_argument("outbox payload is not a JSON object: " + item.payload_json);
  std::optional<std::string> text;
  std::optional<std::string> attachments;
  if (auto it = payload.find("text"); it != payload.end() && it->is_string()) text = it->get<std::string>();
  if (auto it = payload.find("attachments"); it != payload.end() && !it->is_null()) attachments = it->dump();

  connection
      .prepare(
          "INSERT INTO outbox(conversation_id, inbox, payload_json, status, attempts, next_attempt_at, created_at, "
          "updated_at) VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4, ?4)")
      .bind_all(conversation_id, inbox, item.payload_json, now)
      .run();
  Id outbox_id = connection.last_insert_rowid();
  connection
      .prepare(
          "INSERT INTO messages(conversation_id, outbox_id, direction, author, text, attachments_json, status, "
          "created_at) VALUES (?1, ?2, 'out', ?3, ?4, ?5, 'queued', ?6)")
      .bind_all(conversation_id, outbox_id, item.author, text, attachments, now)
      .run();
  return outbox_id;
}

std::vector<OutboxRow> claim_due_rows(SqliteConnection& connection, Millis now, int limit) {
  std::vector<OutboxRow> rows;
  if (limit <= 0) return rows;
  Statement& query = connection.prepare(
      // INDEXED BY: with bound parameters the planner otherwise scans the
      // whole table (sent rows included) on the writer thread, which made
      // every claim cost milliseconds once the outbox held tens of thousands
      // of rows. The partial index holds only open rows.
      "SELECT o.id, o.conversation_id, o.inbox, o.payload_json, o.attempts, o.created_at "
      "FROM outbox AS o INDEXED BY outbox_due "
      "WHERE o.status IN ('pending', 'retrying') AND o.next_attempt_at <= ?1 "
      // Head of line: the oldest open row of its conversation (index outbox_open).
      "AND o.id = (SELECT MIN(h.id) FROM outbox AS h "
      "WHERE h.conversation_id = o.conversation_id AND h.status IN ('pending', 'sending', 'retrying')) "
      "ORDER BY o.next_attempt_at, o.id LIMIT ?2");
  query.bind_all(now, int64_t{limit});
  while (query.step()) {
    OutboxRow row;
    row.id = query.int64(0);
    row.conversation_id = query.int64(1);
    row.inbox = query.text(2);
    row.payload_json = query.text(3);
    row.attempts = static_cast<int32_t>(query.int64(4));
    row.created_at = query.int64(5);
    rows.push_back(std::move(row));
  }
  query.reset();
  for (const OutboxRow& row : rows) {
    connection.prepare("UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?2 WHERE id = ?1")
        .bind_all(row.id, now)
        .run();
  }
  return rows;
}

void set_outbox_sent(SqliteConnection& connection, Id id, const std::string& platform_message_id, Millis now) {
  std::optional<std::string> platform_id;
  if (!platform_message_id.empty()) platform_id = platform_message_id;
  connection
      .prepare(
          "UPDATE outbox SET status = 'sent', sent_at = ?2, platform_message_id = ?3, updated_at = ?2 "
          "WHERE id = ?1 AND status IN ('pending', 'sending', 'retrying')")
      .bind_all(id, now, platform_id)
      .run();
  if (connection.changes() != 1) refuse_transition(connection, id, OutboxStatus::Sent);
  set_message_status(connection, id, "sent");
}

void set_outbox_retrying(SqliteConnection& connection, Id id, Millis next_attempt_at, const std::string& error,
                         Millis now) {
  connection
      .prepare(
          "UPDATE outbox SET status = 'retrying', next_attempt_at = ?2, last_error = ?3, updated_at = ?4 "
          "WHERE id = ?1 AND status IN ('pending', 'sending', 'retrying')")
      .bind_all(id, next_attempt_at, error, now)
      .run();
  if (connection.changes() != 1) refuse_transition(connection, id, OutboxStatus::Retrying);
}

void set_outbox_final(SqliteConnection& connection, Id id, OutboxStatus status, const std::string& code,
                      const std::string& reason, Millis now) {
  if (status != OutboxStatus::Dead && status != OutboxStatus::Blocked) {
    throw std::logic_error("set_outbox_final takes dead or blocked");
  }
  const char* name = to_string(status);
  connection
      .prepare(
          "UPDATE outbox SET status = ?2, error_code = ?3, last_error = ?4, updated_at = ?5 "
          "WHERE id = ?1 AND status IN ('pending', 'sending', 'retrying')")
      .bind_all(id, name, code, reason, now)
      .run();
  if (connection.changes() != 1) refuse_transition(connection, id, status);
  set_message_status(connection, id, name);
}

std::optional<Millis> select_next_due(SqliteConnection& connection) {
  Statement& query = connection.prepare(
      "SELECT MIN(o.next_attempt_at) FROM outbox AS o "
      "WHERE o.status IN ('pending', 'retrying') "
      "AND o.id = (SELECT MIN(h.id) FROM outbox AS h "
      "WHERE h.conversation_id = o.conversation_id AND h.status IN ('pending', 'sending', 'retrying'))");
  if (!query.step()) return std::nullopt;
  return query.optional_int64(0);
}

int64_t requeue_sending_rows(SqliteConnection& connection, Millis now) {
  // The IN term lets SQLite use the partial index outbox_open instead of
  // scanning every row ever sent.
  connection
      .prepare(
          "UPDATE outbox SET status = 'pending', updated_at = ?1 "
          "WHERE status IN ('pending', 'sending', 'retrying') AND status = 'sending'")
      .bind_all(now)
      .run();
  return connection.changes();
}

int64_t count_waiting_rows(SqliteConnection& connection) {
  Statement& query = connection.prepare("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'retrying')");
  query.step();
  return query.int64(0);
}

}  // namespace switchboard::store::sqlite
