// SQL for contacts, channel identities, conversations and their per-
// conversation data (plugin state): finding or creating the conversation an
// inbound message belongs to, and applying a run's change of state.
//
// Threads: functions take the connection they run on; writes run on the
// writer thread inside a GroupCommitter task.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace switchboard::store::sqlite {

// See Store::open_conversation. `at` is the inbound time (created_at and
// last_inbound_at); `now` stamps updated_at. Throws std::invalid_argument
// when `sender` has no "id".
ConversationContext open_conversation(SqliteConnection& connection, const std::string& inbox,
                                      const nlohmann::json& sender, Millis at, Millis now, const ThreadRef& thread);

// What open_conversation() would return for an existing identity and
// conversation, computed on a read connection without writing: the contact
// with the profile fields the sender would fill, a resolved conversation
// shown reopened (bot, bot), last_inbound_at moved forward to `at`. nullopt
// when the identity or the conversation does not exist yet (the caller then
// opens it on the writer). Throws std::invalid_argument like open_conversation.
std::optional<ConversationContext> peek_conversation(SqliteConnection& connection, const std::string& inbox,
                                                     const nlohmann::json& sender, Millis at, const ThreadRef& thread);

// The contact behind (inbox, sender.id), created with its identity if new;
// merges the sender's fields into the identity's profile and fills empty
// name/phone/email (as open_conversation does, without the conversation).
Id contact_for_sender(SqliteConnection& connection, const std::string& inbox, const nlohmann::json& sender, Millis at,
                      Millis now);

// The conversation's inbox; throws std::invalid_argument for an unknown id.
std::string conversation_inbox(SqliteConnection& connection, Id conversation_id);

// Sets the fields the change carries (an empty queue clears it).
void apply_conversation_change(SqliteConnection& connection, Id conversation_id, const ConversationChange& change,
                               Millis now);

std::optional<std::string> select_plugin_state(SqliteConnection& connection, Id conversation_id,
                                               const std::string& scope, const std::string& key);

}  // namespace switchboard::store::sqlite
