// SLA breaches (DESIGN.md §3): detected from the database at each check, so
// a deadline that passes while the host is down escalates after the restart,
// exactly once; first and next response are told apart.
#include <doctest/doctest.h>

#include "../store/store_test_support.hpp"
#include "team/desk.hpp"

using namespace switchboard;
using namespace switchboard::store::testing;
using store::AgentAction;

namespace {

constexpr store::Millis kMinute = 60 * 1000;

std::shared_ptr<const config::TeamConfig> team_with(config::EscalationAction action) {
  auto team = std::make_shared<config::TeamConfig>();
  config::DepartmentConfig cskh;
  cskh.id = "cskh";
  cskh.strategy = config::AssignStrategy::Manual;
  cskh.sla = {10, 5, action, ""};
  team->departments.push_back(cskh);
  team->agents.push_back({"lan", "Lan", {"cskh"}, 5, config::AgentRole::Agent});
  team->agents.push_back({"minh", "Minh", {"cskh"}, 5, config::AgentRole::Agent});
  return team;
}

// A customer message, handed to cskh by the pipeline, at the clock's time.
store::Id queued_conversation(store::SqliteStore& s, ManualClock& clock, const std::string& user) {
  Arrival a = arrive(s, "zalo", user + "-m1", user, clock.now->load());
  store::RunCommit run = run_for(a);
  run.change.state = store::ConversationState::Queued;
  run.change.controller = store::Controller::Human;
  run.change.queue = "cskh";
  s.commit_run(run);
  return a.context.conversation.id;
}

}  // namespace

TEST_CASE("a first-response breach raises the priority once, also when detected after a restart") {
  TempDir dir;
  ManualClock clock;
  store::SqliteStoreOptions options;
  options.clock = clock.function();
  team::EventBus events;
  auto team = team_with(config::EscalationAction::RaisePriority);
  store::Id id = 0;
  {
    store::SqliteStore s(dir.db(), options);
    team::Desk desk(
        s, [&] { return team; }, events, clock.function());
    id = queued_conversation(s, clock, "u1");
    clock.now->fetch_add(9 * kMinute);
    desk.check_slas();
    CHECK(s.conversation_summary(id)->priority == 1);  // not yet
  }
  clock.now->fetch_add(2 * kMinute);  // the deadline passes while the host is down
  store::SqliteStore s(dir.db(), options);
  team::Desk desk(
      s, [&] { return team; }, events, clock.function());
  int breaches = 0;
  desk.on_breach([&](const store::SlaBreach& b) {
    ++breaches;
    CHECK(b.kind == "first_response");
  });
  desk.check_slas();
  CHECK(s.conversation_summary(id)->priority == 2);
  desk.check_slas();  // the same breach never escalates twice
  CHECK(breaches == 1);
  CHECK(s.conversation_summary(id)->priority == 2);
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM decision_log WHERE decision_json LIKE '%first_response%'") == 1);
  CHECK(raw.integer("SELECT COUNT(*) FROM audit_log WHERE action = 'sla_breach'") == 1);
}

TEST_CASE(
    "after an agent's reply, the next customer message starts the next-response clock; reassign picks another agent") {
  TempDir dir;
  ManualClock clock;
  store::SqliteStoreOptions options;
  options.clock = clock.function();
  store::SqliteStore s(dir.db(), options);
  team::EventBus events;
  auto team = team_with(config::EscalationAction::Reassign);
  team::Desk desk(
      s, [&] { return team; }, events, clock.function());
  s.set_presence("lan", "online");
  s.set_presence("minh", "online");
  store::Id id = queued_conversation(s, clock, "u2");
  team::Principal lan{"lan", config::AgentRole::Agent, {"cskh"}};
  AgentAction claim;
  claim.kind = AgentAction::Kind::Claim;
  claim.conversation_id = id;
  REQUIRE(desk.act(lan, claim).status == 200);
  clock.now->fetch_add(kMinute);
  AgentAction reply;
  reply.kind = AgentAction::Kind::Reply;
  reply.conversation_id = id;
  reply.text = "Dạ em chào chị";
  REQUIRE(desk.act(lan, reply).status == 200);

  clock.now->fetch_add(20 * kMinute);  // quiet customer: no next-response clock runs
  desk.check_slas();
  CHECK(s.conversation_summary(id)->assignee == "lan");

  Arrival again = arrive(s, "zalo", "u2-m2", "u2", clock.now->load());
  s.commit_run(run_for(again));
  clock.now->fetch_add(4 * kMinute);
  desk.check_slas();
  CHECK(s.conversation_summary(id)->assignee == "lan");
  clock.now->fetch_add(2 * kMinute);
  desk.check_slas();
  CHECK(s.conversation_summary(id)->assignee == "minh");
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM sla_breaches WHERE kind = 'next_response' AND assignee = 'lan'") == 1);
}

TEST_CASE("a department's SLA counts only its opening hours; its backlog waits for the opening") {
  TempDir dir;
  ManualClock clock;
  clock.now->store(1795773300000);  // Friday 2026-11-27 16:55 in Ho Chi Minh City
  store::SqliteStoreOptions options;
  options.clock = clock.function();
  team::EventBus events;
  auto team = std::make_shared<config::TeamConfig>(*team_with(config::EscalationAction::RaisePriority));
  config::DepartmentConfig& cskh = team->departments[0];
  cskh.strategy = config::AssignStrategy::RoundRobin;
  cskh.calendar = std::make_shared<const calendar::BusinessCalendar>(calendar::BusinessCalendar::from_json(
      {{"timezone", "Asia/Ho_Chi_Minh"}, {"weekly", {{"fri", {"08:00-17:00"}}, {"mon", {"07:30-17:00"}}}}}, "test"));
  store::SqliteStore s(dir.db(), options);
  team::Desk desk(
      s, [&] { return std::shared_ptr<const config::TeamConfig>(team); }, events, clock.function());
  store::Id id = queued_conversation(s, clock, "u1");

  // Five open minutes on Friday, then a closed weekend: lan, online, gets
  // nothing and nothing breaches, however long the wall clock runs.
  s.set_presence("lan", "online");
  clock.now->store(1795834800000);  // Saturday 10:00
  desk.rebalance();
  desk.check_slas();
  CHECK(s.conversation_summary(id)->state == "queued");
  CHECK(s.conversation_summary(id)->priority == 1);
  clock.now->store(1795998900000);  // Monday 07:35: ten open minutes, the limit
  desk.check_slas();
  CHECK(s.conversation_summary(id)->priority == 1);
  desk.rebalance();
  CHECK(s.conversation_summary(id)->assignee == "lan");
  clock.now->store(1795998960000);  // Monday 07:36: eleven
  desk.check_slas();
  CHECK(s.conversation_summary(id)->priority == 2);
}
