// SQL of the handoff tables: credentials, tokens, presence, the agents'
// conversation views, agent actions, backlog assignment and the audit log.
//
// Threads: reads on a pooled reader, writes on the writer thread inside a
// GroupCommitter task (so each write call is one transaction with its audit).
#pragma once

#include "store/sqlite/sqlite_connection.hpp"
#include "store/team_store.hpp"

namespace switchboard::store::sqlite {

void upsert_password(SqliteConnection& c, const std::string& agent, const std::string& hash, Millis now);
bool update_disabled(SqliteConnection& c, const std::string& agent, bool disabled, Millis now);
std::optional<AgentCredential> select_credential(SqliteConnection& c, const std::string& agent);
void insert_token(SqliteConnection& c, const std::string& hash, const std::string& agent, Millis now, Millis expires);
std::optional<std::string> select_token_agent(SqliteConnection& c, const std::string& hash, Millis now);
void update_token_revoked(SqliteConnection& c, const std::string& hash, Millis now);

void upsert_presence(SqliteConnection& c, const std::string& agent, const std::string& status, Millis now);
std::map<std::string, std::string> select_presence(SqliteConnection& c);
std::map<std::string, int64_t> select_agent_loads(SqliteConnection& c);
std::map<std::string, int64_t> select_queue_depths(SqliteConnection& c);
int64_t select_queued_ahead(SqliteConnection& c, const std::string& queue, int32_t priority);
std::optional<Millis> select_recent_first_response(SqliteConnection& c, const std::string& queue);

std::vector<ConversationSummary> select_conversations(SqliteConnection& c, const ConversationFilter& filter);
std::optional<ConversationSummary> select_conversation_summary(SqliteConnection& c, Id id);
std::vector<MessageRecord> select_conversation_messages(SqliteConnection& c, Id id);
std::vector<ConversationSummary> select_contact_conversations(SqliteConnection& c, Id contact_id);
std::optional<std::string> select_conversation_recipient(SqliteConnection& c, Id id);

void insert_audit(SqliteConnection& c, Millis at, const std::string& actor, const std::string& action,
                  Id conversation_id, const std::string& detail_json);
std::vector<AuditEntry> select_audit(SqliteConnection& c, Id after, int limit);

}  // namespace switchboard::store::sqlite
