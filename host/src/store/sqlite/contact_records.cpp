// Export, erasure, retention, search and merge of contacts.
#include "store/sqlite/contact_records.hpp"

#include <cctype>

#include "store/sqlite/team_records.hpp"

namespace switchboard::store::sqlite {
namespace {

using nlohmann::json;

// Rows of one query as JSON objects named by the query's columns.
json rows_as_json(SqliteConnection& c, const std::string& sql, Id id) {
  Statement& q = c.prepare(sql);
  q.bind_all(id);
  json out = json::array();
  while (q.step()) {
    json row = json::object();
    for (int i = 0; i < q.column_count(); ++i) {
      std::string name = q.column_name(i);
      if (q.is_null(i)) {
        row[name] = nullptr;
      } else if (q.is_integer(i)) {
        row[name] = q.int64(i);
      } else {
        std::string text = q.text(i);
        bool is_json = name.size() > 5 && name.compare(name.size() - 5, 5, "_json") == 0;
        json parsed = is_json ? json::parse(text, nullptr, false) : json();
        row[name] = is_json && !parsed.is_discarded() ? parsed : json(text);
      }
    }
    out.push_back(std::move(row));
  }
  q.reset();
  return out;
}

// The conversations of a contact, as an SQL set.
constexpr const char* kConversations = "(SELECT id FROM conversations WHERE contact_id = ?1)";

std::string of_conversations(const std::string& table) {
  return "SELECT * FROM " + table + " WHERE conversation_id IN " + kConversations;
}

// Events of the contact: by conversation, and unprocessed ones by identity.
constexpr const char* kEventsOfContact =
    "SELECT * FROM inbound_events e WHERE e.conversation_id IN (SELECT id FROM conversations WHERE contact_id = ?1) "
    "OR EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = ?1 AND i.inbox = e.inbox AND "
    "i.external_id = e.sender_id)";

bool contact_exists(SqliteConnection& c, Id id) {
  Statement& q = c.prepare("SELECT 1 FROM contacts WHERE id = ?1");
  q.bind_all(id);
  bool found = q.step();
  q.reset();
  return found;
}

void run(SqliteConnection& c, const std::string& sql, Id id) { c.prepare(sql).bind_all(id).run(); }

// Deletes what hangs off the conversations selected by `which` (SQL over ?1).
void delete_conversations(SqliteConnection& c, const std::string& which, int64_t param) {
  for (const char* table : {"messages", "notes", "tags", "attributes", "plugin_state", "decision_log", "outbox"}) {
    c.prepare(std::string("DELETE FROM ") + table + " WHERE conversation_id IN " + which).bind_all(param).run();
  }
  c.prepare("DELETE FROM inbound_events WHERE conversation_id IN " + which).bind_all(param).run();
  c.prepare("UPDATE audit_log SET conversation_id = NULL WHERE conversation_id IN " + which).bind_all(param).run();
  c.prepare("DELETE FROM conversations WHERE id IN " + which).bind_all(param).run();
}

// The last nine digits: +84 912 345 678, 0912.345.678 and 84912345678 agree.
std::string phone_key(const std::string& phone) {
  std::string digits;
  for (char ch : phone) {
    if (std::isdigit(static_cast<unsigned char>(ch))) digits.push_back(ch);
  }
  return digits.size() >= 9 ? digits.substr(digits.size() - 9) : "";
}

// phone_key() in SQL, for the usual separators (spaces, dots, dashes, +).
constexpr const char* kPhoneKeySql =
    "substr(replace(replace(replace(replace(COALESCE(phone, ''), ' ', ''), '.', ''), '-', ''), '+', ''), -9)";

std::vector<ContactRecord> read_contacts(SqliteConnection& c, Statement& q) {
  std::vector<ContactRecord> out;
  while (q.step()) out.push_back(ContactRecord{q.int64(0), q.text(1), q.text(2), q.text(3), {}});
  q.reset();
  for (auto& contact : out) {
    Statement& ids = c.prepare("SELECT inbox || ':' || external_id FROM identities WHERE contact_id = ?1 ORDER BY id");
    ids.bind_all(contact.id);
    while (ids.step()) contact.identities.push_back(ids.text(0));
    ids.reset();
  }
  return out;
}

}  // namespace

std::optional<json> export_contact_data(SqliteConnection& c, Id contact_id) {
  if (!contact_exists(c, contact_id)) return std::nullopt;
  json out = {{"contact", rows_as_json(c, "SELECT * FROM contacts WHERE id = ?1", contact_id).at(0)},
              {"identities", rows_as_json(c, "SELECT * FROM identities WHERE contact_id = ?1", contact_id)},
              {"conversations", rows_as_json(c, "SELECT * FROM conversations WHERE contact_id = ?1", contact_id)},
              {"inbound_events", rows_as_json(c, kEventsOfContact, contact_id)}};
  for (const char* table : {"messages", "notes", "tags", "attributes", "plugin_state", "outbox", "decision_log"}) {
    out[table] = rows_as_json(c, of_conversations(table), contact_id);
  }
  return out;
}

bool erase_contact_data(SqliteConnection& c, Id contact_id) {
  if (!contact_exists(c, contact_id)) return false;
  delete_conversations(c, kConversations, contact_id);
  // Events not (yet) tied to a conversation, found by the sender's identity;
  // what references them goes first (foreign keys).
  const std::string events =
      "(SELECT e.id FROM inbound_events e JOIN identities i ON i.inbox = e.inbox AND i.external_id = e.sender_id "
      "WHERE i.contact_id = ?1)";
  run(c, "DELETE FROM decision_log WHERE event_id IN " + events, contact_id);
  run(c, "DELETE FROM messages WHERE event_id IN " + events, contact_id);
  run(c, "DELETE FROM inbound_events WHERE id IN " + events, contact_id);
  run(c, "DELETE FROM identities WHERE contact_id = ?1", contact_id);
  run(c, "DELETE FROM contacts WHERE id = ?1", contact_id);
  return true;
}

int64_t purge_resolved_before(SqliteConnection& c, Millis before) {
  const std::string which = "(SELECT id FROM conversations WHERE state = 'resolved' AND updated_at < ?1)";
  Statement& q = c.prepare("SELECT COUNT(*) FROM conversations WHERE state = 'resolved' AND updated_at < ?1");
  q.bind_all(before);
  q.step();
  int64_t n = q.int64(0);
  q.reset();
  if (n == 0) return 0;
  delete_conversations(c, which, before);
  // Contacts with no conversation left: nothing of theirs is kept.
  c.prepare(
       "DELETE FROM identities WHERE contact_id NOT IN (SELECT contact_id FROM conversations) "
       "AND NOT EXISTS (SELECT 1 FROM inbound_events e WHERE e.inbox = identities.inbox AND "
       "e.sender_id = identities.external_id)")
      .run();
  c.prepare("DELETE FROM contacts WHERE id NOT IN (SELECT contact_id FROM identities)").run();
  return n;
}

std::optional<Id> find_contact_by_identity(SqliteConnection& c, const std::string& inbox,
                                           const std::string& external_id) {
  Statement& q = c.prepare("SELECT contact_id FROM identities WHERE inbox = ?1 AND external_id = ?2");
  q.bind_all(inbox, external_id);
  std::optional<Id> out;
  if (q.step()) out = q.int64(0);
  q.reset();
  return out;
}

std::vector<ContactRecord> search_contact_records(SqliteConnection& c, const std::string& query, int limit) {
  std::string key = phone_key(query);
  Statement& q = c.prepare(
      "SELECT id, COALESCE(name, ''), COALESCE(phone, ''), COALESCE(email, '') FROM contacts "
      "WHERE instr(lower(COALESCE(name, '')), lower(?1)) > 0 OR lower(COALESCE(email, '')) = lower(?1) "
      "OR (?2 <> '' AND " +
      std::string(kPhoneKeySql) + " = ?2) ORDER BY id DESC LIMIT ?3");
  q.bind_all(query, key, int64_t{limit});
  return read_contacts(c, q);
}

std::optional<ContactRecord> select_contact_record(SqliteConnection& c, Id contact_id) {
  Statement& q =
      c.prepare("SELECT id, COALESCE(name, ''), COALESCE(phone, ''), COALESCE(email, '') FROM contacts WHERE id = ?1");
  q.bind_all(contact_id);
  auto rows = read_contacts(c, q);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<ContactRecord> contact_merge_candidates(SqliteConnection& c, Id contact_id) {
  Statement& self = c.prepare("SELECT COALESCE(phone, ''), lower(COALESCE(email, '')) FROM contacts WHERE id = ?1");
  self.bind_all(contact_id);
  if (!self.step()) {
    self.reset();
    return {};
  }
  std::string key = phone_key(self.text(0));
  std::string email = self.text(1);
  self.reset();
  Statement& q = c.prepare(
      "SELECT id, COALESCE(name, ''), COALESCE(phone, ''), COALESCE(email, '') FROM contacts WHERE id <> ?1 AND ("
      "(?2 <> '' AND " +
      std::string(kPhoneKeySql) + " = ?2) OR (?3 <> '' AND lower(COALESCE(email, '')) = ?3)) ORDER BY id");
  q.bind_all(contact_id, key, email);
  return read_contacts(c, q);
}

bool merge_contact_records(SqliteConnection& c, Id keep, Id drop, Millis now) {
  if (keep == drop || !contact_exists(c, keep) || !contact_exists(c, drop)) return false;
  // A conversation of `drop` on an inbox where `keep` has one of the same
  // thread joins it.
  const std::string same_inbox =
      "(SELECT d.id FROM conversations d JOIN conversations k ON k.inbox = d.inbox AND k.thread_key = d.thread_key "
      "AND k.contact_id = ?2 WHERE d.contact_id = ?1)";
  for (const char* table : {"messages", "notes", "outbox", "decision_log", "inbound_events"}) {
    c.prepare(std::string("UPDATE ") + table +
              " SET conversation_id = (SELECT k.id FROM conversations k JOIN conversations d ON d.inbox = k.inbox "
              "AND d.thread_key = k.thread_key WHERE d.id = " +
              table + ".conversation_id AND k.contact_id = ?2) WHERE conversation_id IN " + same_inbox)
        .bind_all(drop, keep)
        .run();
  }
  c.prepare("DELETE FROM tags WHERE conversation_id IN " + same_inbox).bind_all(drop, keep).run();
  c.prepare("DELETE FROM attributes WHERE conversation_id IN " + same_inbox).bind_all(drop, keep).run();
  c.prepare("DELETE FROM plugin_state WHERE conversation_id IN " + same_inbox).bind_all(drop, keep).run();
  c.prepare("UPDATE audit_log SET conversation_id = NULL WHERE conversation_id IN " + same_inbox)
      .bind_all(drop, keep)
      .run();
  c.prepare("DELETE FROM conversations WHERE id IN " + same_inbox).bind_all(drop, keep).run();
  c.prepare("UPDATE conversations SET contact_id = ?2 WHERE contact_id = ?1").bind_all(drop, keep).run();
  c.prepare("UPDATE identities SET contact_id = ?2 WHERE contact_id = ?1").bind_all(drop, keep).run();
  c.prepare(
       "UPDATE contacts SET name = COALESCE(NULLIF(name, ''), (SELECT name FROM contacts WHERE id = ?2)), "
       "phone = COALESCE(NULLIF(phone, ''), (SELECT phone FROM contacts WHERE id = ?2)), "
       "email = COALESCE(NULLIF(email, ''), (SELECT email FROM contacts WHERE id = ?2)), updated_at = ?3 "
       "WHERE id = ?1")
      .bind_all(keep, drop, now)
      .run();
  c.prepare("DELETE FROM contacts WHERE id = ?1").bind_all(drop).run();
  return true;
}

}  // namespace switchboard::store::sqlite
