// Validation of departments and agents.
#include "config/team_config.hpp"

#include "config/inbox_config.hpp"
#include "config/section_schema.hpp"

#include <algorithm>
#include <map>

namespace switchboard::config {

namespace {

// Reads one enum-valued key; an unknown spelling is reported with the choices.
template <class E, std::size_t N>
E read_enum(const nlohmann::json& object, const char* key, const std::array<std::pair<const char*, E>, N>& choices,
            const JsonPointer& at, Diagnostics& errors) {
  std::string value = object.value(key, choices[0].first);
  for (const auto& [name, choice] : choices) {
    if (value == name) return choice;
  }
  std::string list;
  for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + std::string(choice.first);
  errors.add(at / key, "must be one of " + list + ", got '" + value + "'");
  return choices[0].second;
}

constexpr std::array<std::pair<const char*, AssignStrategy>, 3> kStrategies{{
    {"round_robin", AssignStrategy::RoundRobin},
    {"least_busy", AssignStrategy::LeastBusy},
    {"manual", AssignStrategy::Manual},
}};
constexpr std::array<std::pair<const char*, AgentRole>, 2> kRoles{
    {{"agent", AgentRole::Agent}, {"admin", AgentRole::Admin}}};
constexpr std::array<std::pair<const char*, EscalationAction>, 4> kEscalations{{
    {"none", EscalationAction::None},
    {"reassign", EscalationAction::Reassign},
    {"raise_priority", EscalationAction::RaisePriority},
    {"notify", EscalationAction::Notify},
}};

// Ids use the inbox id alphabet: they appear in URLs and logs as they are.
bool check_id(const nlohmann::json& object, const JsonPointer& at, std::map<std::string, std::string>& seen,
              const char* what, Diagnostics& errors) {
  std::string id = object.value("id", "");
  if (!valid_inbox_id(id)) {
    errors.add(at / "id", "must be 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit");
    return false;
  }
  auto [first, inserted] = seen.emplace(id, (at / "id").to_string());
  if (inserted) return true;
  errors.add(at / "id", std::string("duplicate ") + what + " id '" + id + "' (first used at " + first->second + ")");
  return false;
}

int64_t non_negative(const nlohmann::json& object, const char* key, const JsonPointer& at, Diagnostics& errors) {
  int64_t value = object.value(key, int64_t{0});
  if (value >= 0) return value;
  errors.add(at / key, "must be 0 (not tracked) or a positive number of minutes");
  return 0;
}

SlaConfig read_sla(const nlohmann::json& department, const JsonPointer& at, Diagnostics& errors) {
  SlaConfig sla;
  auto it = department.find("sla");
  if (it == department.end()) return sla;
  nlohmann::json block = *it;
  const JsonPointer sla_at = at / "sla";
  if (!apply_section_schema(Section::Sla, block, sla_at, errors)) return sla;
  sla.first_response_minutes = non_negative(block, "first_response_minutes", sla_at, errors);
  sla.next_response_minutes = non_negative(block, "next_response_minutes", sla_at, errors);
  sla.escalation = read_enum(block, "escalation", kEscalations, sla_at, errors);
  sla.notify_url = block.value("notify_url", "");
  if (sla.escalation == EscalationAction::Notify && sla.notify_url.rfind("http", 0) != 0) {
    errors.add(sla_at / "notify_url", "escalation \"notify\" needs an http:// or https:// URL here");
  }
  return sla;
}

std::vector<DepartmentConfig> read_departments(const nlohmann::json& list, Diagnostics& errors) {
  std::vector<DepartmentConfig> result;
  std::map<std::string, std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const JsonPointer at = JsonPointer("/departments") / i;
    nlohmann::json block = list[i];
    if (!apply_section_schema(Section::Department, block, at, errors)) continue;
    if (!check_id(block, at, seen, "department", errors)) continue;
    DepartmentConfig d;
    d.id = block.value("id", "");
    d.name = block.value("name", d.id);
    d.calendar = block.value("calendar", "");
    d.strategy = read_enum(block, "assignment", kStrategies, at, errors);
    d.sla = read_sla(block, at, errors);
    result.push_back(std::move(d));
  }
  return result;
}

void check_membership(const AgentConfig& agent, const std::vector<DepartmentConfig>& departments, const JsonPointer& at,
                      Diagnostics& errors) {
  for (std::size_t j = 0; j < agent.departments.size(); ++j) {
    const std::string& id = agent.departments[j];
    bool known = std::any_of(departments.begin(), departments.end(), [&](const auto& d) { return d.id == id; });
    if (!known) errors.add(at / "departments" / j, "no department '" + id + "' in /departments");
  }
  if (agent.departments.empty() && agent.role != AgentRole::Admin) {
    errors.add(at / "departments", "an agent needs at least one department (admins see all)");
  }
}

std::vector<AgentConfig> read_agents(const nlohmann::json& list, const std::vector<DepartmentConfig>& departments,
                                     Diagnostics& errors) {
  std::vector<AgentConfig> result;
  std::map<std::string, std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const JsonPointer at = JsonPointer("/agents") / i;
    nlohmann::json block = list[i];
    if (!apply_section_schema(Section::Agent, block, at, errors)) continue;
    if (!check_id(block, at, seen, "agent", errors)) continue;
    AgentConfig a;
    a.id = block.value("id", "");
    a.name = block.value("name", a.id);
    a.departments = block.value("departments", std::vector<std::string>{});
    a.capacity = block.value("capacity", int64_t{5});
    if (a.capacity < 1) errors.add(at / "capacity", "must be at least 1");
    a.role = read_enum(block, "role", kRoles, at, errors);
    check_membership(a, departments, at, errors);
    result.push_back(std::move(a));
  }
  return result;
}

}  // namespace

bool AgentConfig::member_of(const std::string& department) const {
  return std::find(departments.begin(), departments.end(), department) != departments.end();
}

const DepartmentConfig* TeamConfig::department(const std::string& id) const {
  for (const auto& d : departments) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

const AgentConfig* TeamConfig::agent(const std::string& id) const {
  for (const auto& a : agents) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

TeamConfig read_team(const nlohmann::json* departments, const nlohmann::json* agents, Diagnostics& errors) {
  TeamConfig team;
  if (departments != nullptr && departments->is_array()) team.departments = read_departments(*departments, errors);
  if (agents != nullptr && agents->is_array()) team.agents = read_agents(*agents, team.departments, errors);
  return team;
}

const char* to_string(AssignStrategy strategy) { return kStrategies[static_cast<std::size_t>(strategy)].first; }
const char* to_string(AgentRole role) { return kRoles[static_cast<std::size_t>(role)].first; }

}  // namespace switchboard::config
