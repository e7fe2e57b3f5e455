// Validation of departments and agents.
#include "config/team_config.hpp"

#include "config/inbox_config.hpp"
#include "config/section_schema.hpp"

#include <switchboard/text_template.hpp>

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
constexpr std::array<std::pair<const char*, AgentRole>, 3> kRoles{
    {{"agent", AgentRole::Agent}, {"admin", AgentRole::Admin}, {"lead", AgentRole::Lead}}};
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

// The same calendar format as the business_hours handler's "calendar".
std::shared_ptr<const calendar::BusinessCalendar> read_calendar(const nlohmann::json& department, const JsonPointer& at,
                                                                Diagnostics& errors) {
  auto it = department.find("calendar");
  if (it == department.end() || it->is_null()) return nullptr;
  try {
    return std::make_shared<const calendar::BusinessCalendar>(calendar::BusinessCalendar::from_json(*it, "calendar"));
  } catch (const sdk::ConfigError& e) {
    errors.add(at / "calendar", e.what());
    return nullptr;
  }
}

// A text template must parse at load time, so rendering never fails later.
void check_template(const std::string& text, const JsonPointer& at, Diagnostics& errors) {
  try {
    sdk::TextTemplate parsed(text);
  } catch (const sdk::ConfigError& e) {
    errors.add(at, e.what());
  }
}

CsatConfig read_csat(const nlohmann::json& department, const JsonPointer& at, Diagnostics& errors) {
  CsatConfig csat;
  auto it = department.find("csat");
  if (it == department.end()) return csat;
  nlohmann::json block = *it;
  const JsonPointer csat_at = at / "csat";
  if (!apply_section_schema(Section::Csat, block, csat_at, errors)) return csat;
  csat.enabled = block.value("enabled", false);
  csat.question = block.value("question", "");
  csat.thanks = block.value("thanks", "");
  check_template(csat.question, csat_at / "question", errors);
  check_template(csat.thanks, csat_at / "thanks", errors);
  return csat;
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
    d.calendar = read_calendar(block, at, errors);
    d.strategy = read_enum(block, "assignment", kStrategies, at, errors);
    d.sla = read_sla(block, at, errors);
    d.eta_minutes = block.value("eta_minutes", int64_t{15});
    if (d.eta_minutes < 1) errors.add(at / "eta_minutes", "must be at least 1");
    d.csat = read_csat(block, at, errors);
    result.push_back(std::move(d));
  }
  return result;
}

void check_departments_known(const std::vector<std::string>& ids, const std::vector<DepartmentConfig>& departments,
                             const JsonPointer& at, Diagnostics& errors) {
  for (std::size_t j = 0; j < ids.size(); ++j) {
    bool known = std::any_of(departments.begin(), departments.end(), [&](const auto& d) { return d.id == ids[j]; });
    if (!known) errors.add(at / j, "no department '" + ids[j] + "' in /departments");
  }
}

void check_membership(const AgentConfig& agent, const std::vector<DepartmentConfig>& departments, const JsonPointer& at,
                      Diagnostics& errors) {
  check_departments_known(agent.departments, departments, at / "departments", errors);
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

std::vector<CannedResponse> read_canned(const nlohmann::json& list, const std::vector<DepartmentConfig>& departments,
                                        Diagnostics& errors) {
  std::vector<CannedResponse> result;
  std::map<std::string, std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const JsonPointer at = JsonPointer("/canned_responses") / i;
    nlohmann::json block = list[i];
    if (!apply_section_schema(Section::Canned, block, at, errors)) continue;
    if (!check_id(block, at, seen, "canned response", errors)) continue;
    CannedResponse c;
    c.id = block.value("id", "");
    c.title = block.value("title", "");
    c.text = block.value("text", "");
    c.departments = block.value("departments", std::vector<std::string>{});
    if (c.text.empty()) errors.add(at / "text", "must not be empty");
    check_template(c.text, at / "text", errors);
    check_departments_known(c.departments, departments, at / "departments", errors);
    result.push_back(std::move(c));
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

const CannedResponse* TeamConfig::canned(const std::string& id) const {
  for (const auto& c : canned_responses) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

TeamConfig read_team(const nlohmann::json* departments, const nlohmann::json* agents, const nlohmann::json* canned,
                     Diagnostics& errors) {
  TeamConfig team;
  if (departments != nullptr && departments->is_array()) team.departments = read_departments(*departments, errors);
  if (agents != nullptr && agents->is_array()) team.agents = read_agents(*agents, team.departments, errors);
  if (canned != nullptr && canned->is_array()) team.canned_responses = read_canned(*canned, team.departments, errors);
  return team;
}

const char* to_string(AssignStrategy strategy) { return kStrategies[static_cast<std::size_t>(strategy)].first; }
const char* to_string(AgentRole role) { return kRoles[static_cast<std::size_t>(role)].first; }

}  // namespace switchboard::config
