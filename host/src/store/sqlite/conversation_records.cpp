// Contacts, identities and conversations (DESIGN.md §3): one identity per
// (inbox, external id), one conversation per (contact, inbox, thread key).
#include "store/sqlite/conversation_records.hpp"

#include <stdexcept>

namespace switchboard::store::sqlite {
namespace {

using nlohmann::json;

// A profile field the sender carries: a non-empty string, else nothing.
std::optional<std::string> profile_field(const json& sender, const char* key) {
  auto it = sender.find(key);
  if (it == sender.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return std::nullopt;
  return it->get<std::string>();
}

std::string external_id_of(const json& sender) {
  if (!sender.is_object()) throw std::invalid_argument("open_conversation: sender must be a JSON object");
  auto id = sender.find("id");
  if (id == sender.end() || id->is_null()) throw std::invalid_argument("open_conversation: sender has no \"id\"");
  std::string text = id->is_string() ? id->get<std::string>() : id->dump();
  if (text.empty()) throw std::invalid_argument("open_conversation: sender \"id\" is empty");
  return text;
}

// Keeps what earlier events told us and adds what this one tells: a later
// event that carries only the id must not erase the name.
std::optional<std::string> merged_profile(const std::string& stored_json, const json& sender) {
  json profile = json::parse(stored_json, nullptr, false);
  if (!profile.is_object()) profile = json::object();
  json before = profile;
  for (const auto& [key, value] : sender.items()) {
    if (value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty())) continue;
    profile[key] = value;
  }
  if (profile == before) return std::nullopt;
  return profile.dump();
}

Id create_contact(SqliteConnection& connection, const json& sender, Millis at, Millis now) {
  connection
      .prepare(
          "INSERT INTO contacts(name, phone, email, created_at, updated_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind_all(profile_field(sender, "name"), profile_field(sender, "phone"), profile_field(sender, "email"), at, now)
      .run();
  return connection.last_insert_rowid();
}

// Fills name/phone/email the contact lacks from what the sender now carries.
void fill_contact(SqliteConnection& connection, Id contact_id, const json& sender, Millis now) {
  connection
      .prepare(
          "UPDATE contacts SET "
          "name = CASE WHEN COALESCE(name, '') = '' THEN COALESCE(?2, name) ELSE name END, "
          "phone = CASE WHEN COALESCE(phone, '') = '' THEN COALESCE(?3, phone) ELSE phone END, "
          "email = CASE WHEN COALESCE(email, '') = '' THEN COALESCE(?4, email) ELSE email END, "
          "updated_at = ?5 "
          "WHERE id = ?1 AND ((COALESCE(name, '') = '' AND ?2 IS NOT NULL) "
          "OR (COALESCE(phone, '') = '' AND ?3 IS NOT NULL) OR (COALESCE(email, '') = '' AND ?4 IS NOT NULL))")
      .bind_all(contact_id, profile_field(sender, "name"), profile_field(sender, "phone"),
                profile_field(sender, "email"), now)
      .run();
}

// The contact behind (inbox, external id), created with its identity if new.
Id find_or_create_contact(SqliteConnection& connection, const std::string& inbox, const std::string& external_id,
                          const json& sender, Millis at, Millis now) {
  Statement& find = connection.prepare(
      "SELECT id, contact_id, COALESCE(profile_json, '{}') FROM identities WHERE inbox = ?1 AND external_id = ?2");
  find.bind_all(inbox, external_id);
  if (find.step()) {
    Id identity_id = find.int64(0);
    Id contact_id = find.int64(1);
    std::optional<std::string> profile = merged_profile(find.text(2), sender);
    find.reset();
    if (profile) {
      connection.prepare("UPDATE identities SET profile_json = ?2 WHERE id = ?1").bind_all(identity_id, *profile).run();
    }
    fill_contact(connection, contact_id, sender, now);
    return contact_id;
  }
  find.reset();
  Id contact_id = create_contact(connection, sender, at, now);
  connection.prepare("INSERT INTO identities(contact_id, inbox, external_id, profile_json) VALUES (?1, ?2, ?3, ?4)")
      .bind_all(contact_id, inbox, external_id, sender.dump())
      .run();
  return contact_id;
}

Contact select_contact(SqliteConnection& connection, Id contact_id) {
  Statement& query = connection.prepare("SELECT id, name, phone, email FROM contacts WHERE id = ?1");
  query.bind_all(contact_id);
  if (!query.step()) throw std::logic_error("contact " + std::to_string(contact_id) + " vanished");
  return {query.int64(0), query.text(1), query.text(2), query.text(3)};
}

Conversation select_conversation(SqliteConnection& connection, Id conversation_id) {
  Statement& query = connection.prepare(
      "SELECT id, contact_id, inbox, state, controller, COALESCE(queue, ''), priority, COALESCE(assignee, ''), "
      "COALESCE(last_inbound_at, 0) FROM conversations WHERE id = ?1");
  query.bind_all(conversation_id);
  if (!query.step()) throw std::logic_error("conversation " + std::to_string(conversation_id) + " vanished");
  Conversation c;
  c.id = query.int64(0);
  c.contact_id = query.int64(1);
  c.inbox = query.text(2);
  std::optional<ConversationState> state = parse_conversation_state(query.text(3));
  std::optional<Controller> controller = parse_controller(query.text(4));
  if (!state || !controller) {
    throw std::runtime_error("conversation " + std::to_string(c.id) + " has an unknown state or controller");
  }
  c.state = *state;
  c.controller = *controller;
  c.queue = query.text(5);
  c.priority = static_cast<int32_t>(query.int64(6));
  c.assignee = query.text(7);
  c.last_inbound_at = query.int64(8);
  return c;
}

Id create_conversation(SqliteConnection& connection, Id contact_id, const std::string& inbox,
                       const std::string& thread_key, Millis at, Millis now) {
  connection
      .prepare(
          "INSERT INTO conversations(contact_id, inbox, thread_key, state, controller, priority, last_inbound_at, "
          "created_at, updated_at) VALUES (?1, ?2, ?3, 'bot', 'bot', 1, ?4, ?4, ?5)")
      .bind_all(contact_id, inbox, thread_key, at, now)
      .run();
  return connection.last_insert_rowid();
}

// The conversation an event continues: the one it names when that is the
// contact's on this inbox (a named id of another contact or inbox is not
// trusted: mail headers are the sender's to write), else the thread key's.
std::optional<Id> find_conversation(SqliteConnection& connection, Id contact_id, const std::string& inbox,
                                    const ThreadRef& thread) {
  if (thread.conversation) {
    Statement& named =
        connection.prepare("SELECT id FROM conversations WHERE id = ?1 AND contact_id = ?2 AND inbox = ?3");
    named.bind_all(*thread.conversation, contact_id, inbox);
    bool found = named.step();
    named.reset();
    if (found) return thread.conversation;
  }
  Statement& keyed =
      connection.prepare("SELECT id FROM conversations WHERE contact_id = ?1 AND inbox = ?2 AND thread_key = ?3");
  keyed.bind_all(contact_id, inbox, thread.key);
  std::optional<Id> id;
  if (keyed.step()) id = keyed.int64(0);
  keyed.reset();
  return id;
}

// A new inbound message on an existing conversation: a resolved one goes
// back to the bot (queue and assignee stay as history: sticky assignment
// may use them); last_inbound_at only moves forward. True if reopened.
bool touch_conversation(SqliteConnection& connection, Id conversation_id, Millis at, Millis now) {
  connection
      .prepare(
          "UPDATE conversations SET state = 'bot', controller = 'bot', "
          "last_inbound_at = MAX(COALESCE(last_inbound_at, ?2), ?2), updated_at = ?3 "
          "WHERE id = ?1 AND state = 'resolved'")
      .bind_all(conversation_id, at, now)
      .run();
  if (connection.changes() == 1) return true;
  connection
      .prepare(
          "UPDATE conversations SET last_inbound_at = ?2, updated_at = ?3 "
          "WHERE id = ?1 AND (last_inbound_at IS NULL OR last_inbound_at < ?2)")
      .bind_all(conversation_id, at, now)
      .run();
  return false;
}

}  // namespace

ConversationContext open_conversation(SqliteConnection& connection, const std::string& inbox, const json& sender,
                                      Millis at, Millis now, const ThreadRef& thread) {
  ConversationContext context;
  context.external_id = external_id_of(sender);
  Id contact_id = find_or_create_contact(connection, inbox, context.external_id, sender, at, now);

  std::optional<Id> conversation_id = find_conversation(connection, contact_id, inbox, thread);
  if (conversation_id) {
    context.reopened = touch_conversation(connection, *conversation_id, at, now);
  } else {
    conversation_id = create_conversation(connection, contact_id, inbox, thread.key, at, now);
    context.created = true;
  }
  context.contact = select_contact(connection, contact_id);
  context.conversation = select_conversation(connection, *conversation_id);
  return context;
}

std::optional<ConversationContext> peek_conversation(SqliteConnection& connection, const std::string& inbox,
                                                     const json& sender, Millis at, const ThreadRef& thread) {
  ConversationContext context;
  context.external_id = external_id_of(sender);
  Statement& identity = connection.prepare("SELECT contact_id FROM identities WHERE inbox = ?1 AND external_id = ?2");
  identity.bind_all(inbox, context.external_id);
  if (!identity.step()) return std::nullopt;
  Id contact_id = identity.int64(0);
  identity.reset();

  std::optional<Id> conversation_id = find_conversation(connection, contact_id, inbox, thread);
  if (!conversation_id) return std::nullopt;

  // The same outcome as fill_contact() and touch_conversation() would write.
  context.contact = select_contact(connection, contact_id);
  for (auto [field, key] : {std::pair{&context.contact.name, "name"}, std::pair{&context.contact.phone, "phone"},
                            std::pair{&context.contact.email, "email"}}) {
    std::optional<std::string> offered = profile_field(sender, key);
    if (field->empty() && offered) *field = *offered;
  }
  context.conversation = select_conversation(connection, *conversation_id);
  Conversation& c = context.conversation;
  if (c.state == ConversationState::Resolved) {
    context.reopened = true;
    c.state = ConversationState::Bot;
    c.controller = Controller::Bot;
  }
  if (c.last_inbound_at < at) c.last_inbound_at = at;
  return context;
}

Id contact_for_sender(SqliteConnection& connection, const std::string& inbox, const json& sender, Millis at,
                      Millis now) {
  return find_or_create_contact(connection, inbox, external_id_of(sender), sender, at, now);
}

std::string conversation_inbox(SqliteConnection& connection, Id conversation_id) {
  Statement& query = connection.prepare("SELECT inbox FROM conversations WHERE id = ?1");
  query.bind_all(conversation_id);
  if (!query.step()) throw std::invalid_argument("conversation " + std::to_string(conversation_id) + " does not exist");
  return query.text(0);
}

void apply_conversation_change(SqliteConnection& connection, Id conversation_id, const ConversationChange& change,
                               Millis now) {
  if (!change.state && !change.controller && !change.queue && !change.priority) return;
  std::optional<std::string> state;
  std::optional<std::string> controller;
  std::optional<std::string> queue;
  std::optional<int64_t> priority;
  if (change.state) state = to_string(*change.state);
  if (change.controller) controller = to_string(*change.controller);
  if (change.queue && !change.queue->empty()) queue = *change.queue;
  if (change.priority) priority = *change.priority;
  connection
      .prepare(
          "UPDATE conversations SET state = COALESCE(?2, state), controller = COALESCE(?3, controller), "
          "queue = CASE WHEN ?4 THEN ?5 ELSE queue END, priority = COALESCE(?6, priority), updated_at = ?7 "
          "WHERE id = ?1")
      .bind_all(conversation_id, state, controller, change.queue ? int64_t{1} : int64_t{0}, queue, priority, now)
      .run();
  if (connection.changes() != 1) {
    throw std::invalid_argument("conversation " + std::to_string(conversation_id) + " does not exist");
  }
}

std::optional<std::string> select_plugin_state(SqliteConnection& connection, Id conversation_id,
                                               const std::string& scope, const std::string& key) {
  Statement& query =
      connection.prepare("SELECT value_json FROM plugin_state WHERE conversation_id = ?1 AND scope = ?2 AND key = ?3");
  query.bind_all(conversation_id, scope, key);
  if (!query.step()) return std::nullopt;
  return query.text(0);
}

}  // namespace switchboard::store::sqlite
