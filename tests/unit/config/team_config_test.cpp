// Departments and agents: read with defaults, every mistake named by its
// JSON pointer.
#include <doctest/doctest.h>

#include "config/load_result.hpp"
#include "config_test_support.hpp"

using namespace switchboard::config;
using namespace switchboard::config::testing;

namespace {

std::string with_team(const std::string& team) {
  return R"({
  "inboxes": [ { "id": "demo", "channel": { "plugin": "api" }, "pipeline": "default" } ],
  "pipelines": { "default": { "steps": [ { "plugin": "reply", "config": { "text": "hi" } } ] } },
  )" + team +
         "}";
}

}  // namespace

TEST_CASE("departments and agents load with their defaults") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(with_team(R"(
    "departments": [ { "id": "le-tan", "name": "Lễ tân" },
                     { "id": "cskh", "name": "CSKH", "assignment": "least_busy",
                       "sla": { "first_response_minutes": 15, "escalation": "raise_priority" } } ],
    "agents": [ { "id": "lan", "name": "Lan", "departments": ["le-tan", "cskh"] },
                { "id": "boss", "role": "admin" },
                { "id": "mai", "departments": ["cskh"], "role": "lead" } ])"));
  REQUIRE_MESSAGE(result.config, joined(result.errors));
  const TeamConfig& team = result.config->team;
  REQUIRE(team.departments.size() == 2);
  CHECK(team.departments[0].strategy == AssignStrategy::RoundRobin);
  CHECK(team.departments[1].strategy == AssignStrategy::LeastBusy);
  CHECK(team.departments[1].sla.first_response_minutes == 15);
  CHECK(team.departments[1].sla.escalation == EscalationAction::RaisePriority);
  REQUIRE(team.agent("lan") != nullptr);
  CHECK(team.agent("lan")->capacity == 5);
  CHECK(team.agent("lan")->member_of("cskh"));
  CHECK(team.agent("boss")->role == AgentRole::Admin);
  REQUIRE(team.agent("mai") != nullptr);
  CHECK(team.agent("mai")->role == AgentRole::Lead);
  CHECK(std::string(to_string(AgentRole::Lead)) == "lead");
  CHECK(team.agent("nobody") == nullptr);
}

TEST_CASE("team mistakes are reported at their exact field") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(with_team(R"(
    "departments": [ { "id": "cskh", "assignment": "random", "sla": { "escalation": "notify", "first_response_minutes": -1 } },
                     { "id": "cskh" } ],
    "agents": [ { "id": "lan", "departments": ["cskh", "ke-toan"], "capacity": 0, "role": "boss" },
                { "id": "minh" }, { "id": "x", "pasword": "no" } ])"));
  CHECK_FALSE(result.config);
  std::string p = fixture.prefix();
  CHECK_ERROR(result.errors,
              p + "/departments/0/assignment: must be one of round_robin, least_busy, manual, got 'random'");
  CHECK_ERROR(result.errors,
              p + "/departments/0/sla/first_response_minutes: must be 0 (not tracked) or a positive number of minutes");
  CHECK_ERROR(result.errors,
              p + "/departments/0/sla/notify_url: escalation \"notify\" needs an http:// or https:// URL here");
  CHECK_ERROR(result.errors, p + "/departments/1/id: duplicate department id 'cskh' (first used at /departments/0/id)");
  CHECK_ERROR(result.errors, p + "/agents/0/departments/1: no department 'ke-toan' in /departments");
  CHECK_ERROR(result.errors, p + "/agents/0/capacity: must be at least 1");
  CHECK_ERROR(result.errors, p + "/agents/0/role: must be one of agent, admin, lead, got 'boss'");
  CHECK_ERROR(result.errors, p + "/agents/1/departments: an agent needs at least one department (admins see all)");
  CHECK_ERROR(result.errors,
              p + "/agents/2/pasword: unknown key in agent; expected one of: id, name, departments, capacity, role");
}

TEST_CASE("department calendars, CSAT and canned responses load and are checked") {
  ConfigFixture fixture;
  LoadResult good = fixture.load(with_team(R"(
    "departments": [ { "id": "cskh", "calendar": { "weekly": { "mon": ["08:00-17:00"] } },
                       "csat": { "enabled": true }, "eta_minutes": 7 },
                     { "id": "ketoan" } ],
    "canned_responses": [ { "id": "chao", "title": "Chào", "text": "Chào {contact.name|bạn}", "departments": ["cskh"] },
                          { "id": "all", "title": "Chung", "text": "Cảm ơn" } ])"));
  REQUIRE_MESSAGE(good.config, joined(good.errors));
  const TeamConfig& team = good.config->team;
  const DepartmentConfig& cskh = team.departments[0];
  REQUIRE(cskh.calendar != nullptr);
  CHECK(cskh.is_open(1795395600000));                 // Monday 2026-11-23 08:00 in Ho Chi Minh City
  CHECK_FALSE(cskh.is_open(1795428000000));           // Monday 17:00
  CHECK(team.departments[1].is_open(1795428000000));  // no calendar: always open
  CHECK(cskh.csat.enabled);
  CHECK(cskh.csat.question.find("Trả lời 1–5") != std::string::npos);
  CHECK(cskh.eta_minutes == 7);
  CHECK(team.departments[1].eta_minutes == 15);
  REQUIRE(team.canned("chao") != nullptr);
  CHECK(team.canned("chao")->usable_by({"cskh"}, false));
  CHECK_FALSE(team.canned("chao")->usable_by({"ketoan"}, false));
  CHECK(team.canned("chao")->usable_by({}, true));
  CHECK(team.canned("all")->usable_by({"ketoan"}, false));

  LoadResult bad = fixture.load(with_team(R"(
    "departments": [ { "id": "cskh", "calendar": { "weekly": { "monday": ["08:00-17:00"] } },
                       "csat": { "enabled": true, "question": "{unclosed", "thank": "x" } } ],
    "canned_responses": [ { "id": "chao", "title": "Chào", "text": "", "departments": ["ketoan"] },
                          { "id": "chao", "title": "Lại", "text": "x" }, { "title": "no id", "text": "x" } ])"));
  CHECK_FALSE(bad.config);
  std::string p = fixture.prefix();
  CHECK_ERROR(bad.errors, p + "/departments/0/calendar: calendar/weekly/monday: days are mon, tue … sun");
  CHECK_ERROR(bad.errors, p + "/departments/0/csat/question: unclosed '{' at byte 0");
  CHECK_ERROR(bad.errors, p + "/departments/0/csat/thank: unknown key in csat; did you mean 'thanks'?");
  CHECK_ERROR(bad.errors, p + "/canned_responses/0/text: must not be empty");
  CHECK_ERROR(bad.errors, p + "/canned_responses/0/departments/0: no department 'ketoan' in /departments");
  CHECK_ERROR(bad.errors,
              p + "/canned_responses/1/id: duplicate canned response id 'chao' (first used at /canned_responses/0/id)");
}
