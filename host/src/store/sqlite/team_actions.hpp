// Agent actions and backlog assignment: each runs inside one writer task, so
// "is it still queued?" and "assign it" are one atomic step and two agents
// can never hold one conversation.
#pragma once

#include "store/sqlite/sqlite_connection.hpp"
#include "store/team_store.hpp"

namespace switchboard::store::sqlite {

ActionOutcome apply_agent_action(SqliteConnection& c, const AgentAction& action, Millis now);
std::vector<Assignment> assign_queue_backlog(SqliteConnection& c, const AssignmentPass& pass);
std::vector<Id> wake_snoozed_conversations(SqliteConnection& c, Millis now);
std::vector<SlaBreach> insert_sla_breaches(SqliteConnection& c, const SlaRule& rule, Millis now);
bool ask_csat_once(SqliteConnection& c, Id conversation_id, const std::string& outbound_json, Millis now);

}  // namespace switchboard::store::sqlite
