// The "departments" and "agents" sections: who answers customers when the bot
// hands a conversation over (DESIGN.md §3). Credentials are never here: the
// `switchboard agent` command keeps password hashes in the database.
#pragma once

#include "config/canned_response.hpp"
#include "config/diagnostics.hpp"

#include <switchboard/calendar/business_calendar.hpp>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::config {

enum class AssignStrategy { RoundRobin, LeastBusy, Manual };
// A lead is an agent of their departments who may also read those departments' reports.
enum class AgentRole { Agent, Admin, Lead };
enum class EscalationAction { None, Reassign, RaisePriority, Notify };

// Response-time thresholds in minutes (0: not tracked) and what a breach does.
struct SlaConfig {
  int64_t first_response_minutes = 0;
  int64_t next_response_minutes = 0;
  EscalationAction escalation = EscalationAction::None;
  std::string notify_url;  // EscalationAction::Notify: a webhook that gets a JSON POST
};

// The rating question asked on resolve (DESIGN.md §4 csat).
struct CsatConfig {
  bool enabled = false;
  std::string question;  // a text template: {department}, {contact.name}
  std::string thanks;    // sent after a rating ("" for nothing)
};

struct DepartmentConfig {
  std::string id;
  std::string name;
  std::shared_ptr<const calendar::BusinessCalendar> calendar;  // null: always open
  AssignStrategy strategy = AssignStrategy::RoundRobin;
  SlaConfig sla;
  int64_t eta_minutes = 15;  // the {eta} before the department has recent first responses
  CsatConfig csat;

  bool is_open(int64_t utc_ms) const { return !calendar || calendar->is_open(utc_ms); }
  // Business time between two instants: what SLA deadlines count.
  int64_t open_ms_between(int64_t from_ms, int64_t to_ms) const {
    if (!calendar) return to_ms > from_ms ? to_ms - from_ms : 0;
    return calendar->open_ms_between(from_ms, to_ms);
  }
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
  std::vector<CannedResponse> canned_responses;

  const DepartmentConfig* department(const std::string& id) const;
  const AgentConfig* agent(const std::string& id) const;
  const CannedResponse* canned(const std::string& id) const;
};

// Reads the three sections (any may be absent): ids valid and unique,
// agents' departments defined, enums spelled right, calendars and templates
// well formed. Problems go to `errors` with the JSON pointer of the field.
TeamConfig read_team(const nlohmann::json* departments, const nlohmann::json* agents, const nlohmann::json* canned,
                     Diagnostics& errors);

const char* to_string(AssignStrategy strategy);
const char* to_string(AgentRole role);

}  // namespace switchboard::config
