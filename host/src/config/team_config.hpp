// The "departments" and "agents" sections: who answers customers when the bot
// hands a conversation over (DESIGN.md §3). Credentials are never here: the
// `switchboard agent` command keeps password hashes in the database.
#pragma once

#include "config/diagnostics.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::config {

enum class AssignStrategy { RoundRobin, LeastBusy, Manual };
enum class AgentRole { Agent, Admin };
enum class EscalationAction { None, Reassign, RaisePriority, Notify };

// Response-time thresholds in minutes (0: not tracked) and what a breach does.
struct SlaConfig {
  int64_t first_response_minutes = 0;
  int64_t next_response_minutes = 0;
  EscalationAction escalation = EscalationAction::None;
  std::string notify_url;  // EscalationAction::Notify: a webhook that gets a JSON POST
};

struct DepartmentConfig {
  std::string id;
  std::string name;
  std::string calendar;  // empty: always open
  AssignStrategy strategy = AssignStrategy::RoundRobin;
  SlaConfig sla;
};

struct AgentConfig {
  std::string id;
  std::string name;
  std::vector<std::string> departments;
  int64_t capacity = 5;  // conversations assigned at once
  AgentRole role = AgentRole::Agent;

  bool member_of(const std::string& department) const;
};

struct TeamConfig {
  std::vector<DepartmentConfig> departments;
  std::vector<AgentConfig> agents;

  const DepartmentConfig* department(const std::string& id) const;
  const AgentConfig* agent(const std::string& id) const;
};

// Reads both sections (either may be absent): ids valid and unique, agents'
// departments defined, enums spelled right. Problems go to `errors` with the
// JSON pointer of the field.
TeamConfig read_team(const nlohmann::json* departments, const nlohmann::json* agents, Diagnostics& errors);

const char* to_string(AssignStrategy strategy);
const char* to_string(AgentRole role);

}  // namespace switchboard::config
