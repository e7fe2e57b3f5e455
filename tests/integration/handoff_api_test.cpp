// Human handoff through the real host and HTTP (DESIGN.md §3): credentials
// set with `switchboard agent`, the agent API's roles, queue assignment
// (round-robin fairness, capacity, backlog draining), one controller, atomic
// claims, audit entries, and a snooze timer that survives a restart.
#include <doctest/doctest.h>

#include <httplib.h>
#include <atomic>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "harness/agent_client.hpp"
#include "harness/deployment.hpp"
#include "harness/handoff_steps.hpp"
#include "harness/webhook_client.hpp"

using namespace switchboard::integration;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// The handoff step sends "gặp người" (any spelling) to cskh and "bác sĩ" to
// bacsi; the reply step after it would answer every other message, and any
// message at all once the bot is not silenced.
HostSettings handoff_settings() {
  HostSettings s;
  s.reply_text = "bot: {text}";
  json handoff = {{"plugin", "handoff"},
                  {"config",
                   {{"rules",
                     {{{"keywords", {"gặp người"}}, {"department", "cskh"}},
                      {{"keywords", {"bác sĩ"}}, {"department", "bacsi"}, {"priority", "high"}}}},
                    {"message", ""}}}};
  json reply = {{"plugin", "reply"}, {"config", {{"text", s.reply_text}}}};
  s.config_patch = {
      {"pipelines", {{"main", {{"steps", {handoff, reply}}}}}},
      {"departments",
       {{{"id", "cskh"}, {"name", "Chăm sóc khách hàng"}, {"assignment", "round_robin"}},
        {{"id", "bacsi"}, {"name", "Bác sĩ tư vấn"}, {"assignment", "manual"}}}},
      {"agents",
       {{{"id", "lan"}, {"departments", {"cskh"}}, {"capacity", 3}},
        {{"id", "minh"}, {"departments", {"cskh"}}, {"capacity", 3}},
        {{"id", "hoa"}, {"departments", {"bacsi"}}},
        {{"id", "boss"}, {"role", "admin"}}}},
  };
  return s;
}

int agent_cli(const Deployment& d, const std::vector<std::string>& args, const std::string& input) {
  return switchboard::integration::agent_cli(d.config_file(), args, input, {{"SB_SECRET", kSecret}});
}

using Agent = AgentClient;

}  // namespace

TEST_CASE("handoff: login, roles, round-robin with capacity, backlog, one controller, claims, audit, snooze") {
  Deployment d(handoff_settings());
  REQUIRE(agent_cli(d, {"add", "lan"}, "mat-khau-lan") == 0);
  REQUIRE(agent_cli(d, {"add", "minh"}, "mat-khau-minh") == 0);
  REQUIRE(agent_cli(d, {"add", "hoa"}, "mat-khau-hoa") == 0);
  REQUIRE(agent_cli(d, {"add", "boss"}, "mat-khau-boss") == 0);
  CHECK(agent_cli(d, {"add", "lan"}, "again-and-again") == 1);   // exists: passwd is the way
  CHECK(agent_cli(d, {"add", "nobody"}, "whatever-long") == 2);  // not in the config
  CHECK(agent_cli(d, {"passwd", "minh"}, "short") == 2);         // too short
  CHECK(d.store().scalar("SELECT COUNT(*) FROM agent_credentials WHERE password_hash LIKE '$argon2id$%'") == 4);

  auto host = d.start();
  WebhookClient client(host->port(), kSecret);
  Agent lan(host->port(), "lan"), minh(host->port(), "minh"), hoa(host->port(), "hoa"), boss(host->port(), "boss");

  {  // without a valid token the API answers 401
    CHECK(lan.call("GET", "/api/v1/conversations").first == 401);
    CHECK(lan.login("wrong-password") == 401);
    CHECK(Agent(host->port(), "nobody").login("mat-khau-lan") == 401);
  }

  REQUIRE(lan.login("mat-khau-lan") == 200);
  REQUIRE(minh.login("mat-khau-minh") == 200);
  REQUIRE(hoa.login("mat-khau-hoa") == 200);
  REQUIRE(boss.login("mat-khau-boss") == 200);

  // Seven customers ask for a person before anyone is online: all wait in cskh.
  for (int i = 0; i < 7; ++i) say(client, "u" + std::to_string(i), "m" + std::to_string(i), "cho em gap nguoi");
  REQUIRE(eventually([&] { return d.store().scalar("SELECT COUNT(*) FROM conversations WHERE state = 'queued'") == 7; },
                     10s));
  // The bot answered none of them after the handoff step: one controller.
  CHECK(eventually([&] { return d.store().scalar("SELECT COUNT(*) FROM outbox") == 0; }, 1s) == true);

  lan.online();
  minh.online();
  // Capacity 3 each: six get an agent, alternating; the oldest six, in order.
  REQUIRE(eventually(
      [&] { return d.store().scalar("SELECT COUNT(*) FROM conversations WHERE state = 'assigned'") == 6; }, 10s));
  CHECK(d.store().scalar("SELECT COUNT(*) FROM conversations WHERE assignee = 'lan'") == 3);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM conversations WHERE assignee = 'minh'") == 3);
  int64_t last = conversation_of(d, "u6");
  CHECK(state_of(d, last) == "queued/");

  // Freeing capacity drains the backlog at once.
  int64_t first = conversation_of(d, "u0");
  std::string first_agent =
      d.store().rows("SELECT assignee FROM conversations WHERE id = " + std::to_string(first))[0][0];
  Agent& owner = first_agent == "lan" ? lan : minh;
  CHECK(owner.call("POST", "/api/v1/conversations/" + std::to_string(first) + "/resolve", {{"reason", "xong"}}).first ==
        200);
  CHECK(eventually([&] { return state_of(d, last) == "assigned/" + first_agent; }, 5s));

  // A human controls u1: its customer writes again, the bot stays silent,
  // the agent's reply goes out through the outbox.
  int64_t second = conversation_of(d, "u1");
  std::string second_agent =
      d.store().rows("SELECT assignee FROM conversations WHERE id = " + std::to_string(second))[0][0];
  Agent& helper = second_agent == "lan" ? lan : minh;
  say(client, "u1", "m1-b", "alo ai do khong");
  auto [status, reply] =
      helper.call("POST", "/api/v1/conversations/" + std::to_string(second) + "/reply", {{"text", "Dạ em nghe ạ"}});
  CHECK(status == 200);
  CHECK(reply.value("outbox_id", 0) > 0);
  CHECK(d.receiver().wait_until(
      [](const std::vector<Delivery>& all) {
        return std::any_of(all.begin(), all.end(), [](const Delivery& x) { return x.text == "Dạ em nghe ạ"; });
      },
      10s));
  for (const Delivery& delivery : d.receiver().deliveries()) CHECK(delivery.text.rfind("bot:", 0) != 0);
  json seen = helper.conversation(second);
  REQUIRE(seen.contains("messages"));
  CHECK(seen["messages"].size() == 3);  // two customer messages and the agent's reply
  CHECK(seen["conversation"]["controller"] == "human");

  // Departments: hoa (bác sĩ) may not see cskh's conversations; the admin may.
  CHECK(hoa.call("GET", "/api/v1/conversations/" + std::to_string(second)).first == 403);
  CHECK(hoa.call("GET", "/api/v1/conversations").second["conversations"].empty());
  CHECK(boss.call("GET", "/api/v1/conversations").second["conversations"].size() == 7);
  CHECK(hoa.call("POST", "/api/v1/conversations/" + std::to_string(second) + "/resolve").first == 403);

  // A manual queue: two claims at once, exactly one wins.
  say(client, "d1", "d1-m", "cho em hoi bac si");
  int64_t doctor = 0;
  REQUIRE(
      eventually([&] { return (doctor = conversation_of(d, "d1")) != 0 && state_of(d, doctor) == "queued/"; }, 10s));
  // hoa's live stream: events of her department only.
  std::mutex seen_mutex;
  std::string stream_text;
  std::atomic<bool> stop_stream{false};
  std::thread stream([&] {
    httplib::Client sse("127.0.0.1", host->port());
    sse.set_read_timeout(30, 0);
    sse.Get("/api/v1/events", {{"Authorization", "Bearer " + hoa.token()}}, [&](const char* data, size_t size) {
      std::lock_guard<std::mutex> lock(seen_mutex);
      stream_text.append(data, size);
      return !stop_stream.load();
    });
  });
  auto streamed = [&](const std::string& piece) {
    std::lock_guard<std::mutex> lock(seen_mutex);
    return stream_text.find(piece) != std::string::npos;
  };
  std::this_thread::sleep_for(300ms);  // subscribed before the events below
  CHECK(helper.call("POST", "/api/v1/conversations/" + std::to_string(second) + "/tags", {{"tag", "vip"}}).first ==
        200);
  auto claim = [&](Agent& who) {
    return who.call("POST", "/api/v1/conversations/" + std::to_string(doctor) + "/claim").first;
  };
  auto a = std::async(std::launch::async, [&] { return claim(hoa); });
  auto b = std::async(std::launch::async, [&] { return claim(boss); });
  int sa = a.get(), sb = b.get();
  CHECK(((sa == 200 && sb == 409) || (sa == 409 && sb == 200)));
  CHECK(d.store().scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'claim' AND conversation_id = " +
                         std::to_string(doctor)) == 1);
  CHECK(eventually([&] { return streamed("\"conversation_id\":" + std::to_string(doctor) + ","); }, 5s));
  CHECK(streamed("event: conversation.updated"));
  CHECK_FALSE(streamed("\"conversation_id\":" + std::to_string(second) + ","));  // cskh's tag stays unseen
  stop_stream = true;
  say(client, "d1", "d1-m2", "bac si oi");  // any event ends the stream's wait; the receiver then stops it
  CHECK(hoa.call("POST", "/api/v1/conversations/" + std::to_string(doctor) + "/priority", {{"priority", 2}}).first !=
        0);
  stream.join();

  // Audit: who did what.
  CHECK(d.store().scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'resolve' AND actor = '" + first_agent + "'") ==
        1);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'reply' AND actor = '" + second_agent + "'") ==
        1);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'auto_assign'") == 7);
  CHECK(boss.call("GET", "/api/v1/audit").second["entries"].size() >= 10);
  CHECK(lan.call("GET", "/api/v1/audit").first == 403);

  // Personal data: admins export and erase a contact; nothing of them stays.
  int64_t gone = d.store().scalar("SELECT contact_id FROM conversations WHERE id = " + std::to_string(last));
  std::string contact_path = "/api/v1/contacts/" + std::to_string(gone);
  CHECK(lan.call("GET", contact_path + "/export").first == 403);
  auto [exported, data] = boss.call("GET", contact_path + "/export");
  CHECK(exported == 200);
  CHECK(data["identities"][0]["external_id"] == "u6");
  CHECK(data["messages"][0]["text"] == "cho em gap nguoi");
  CHECK(lan.call("DELETE", contact_path).first == 403);
  CHECK(boss.call("DELETE", contact_path).first == 204);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM inbound_events WHERE sender_id = 'u6'") == 0);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM conversations WHERE id = " + std::to_string(last)) == 0);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM messages WHERE conversation_id = " + std::to_string(last)) == 0);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM contacts WHERE id = " + std::to_string(gone)) == 0);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('contact_export', 'contact_delete')") == 2);
  CHECK(boss.call("DELETE", contact_path).first == 404);

  // A logged-out token is dead.
  CHECK(lan.call("POST", "/api/v1/logout").first == 204);
  CHECK(lan.call("GET", "/api/v1/me").first == 401);
  REQUIRE(lan.login("mat-khau-lan") == 200);
  CHECK(lan.call("GET", "/api/v1/me").second["presence"] == "online");

  // Snooze, restart the host, and the conversation still wakes up.
  auto until =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch() + 2s)
          .count();
  CHECK(helper.call("POST", "/api/v1/conversations/" + std::to_string(second) + "/snooze", {{"until", until}}).first ==
        200);
  CHECK(state_of(d, second) == "snoozed/" + second_agent);
  REQUIRE(host->terminate() == 0);
  std::this_thread::sleep_for(2s);
  auto again = d.start();
  CHECK(eventually([&] { return state_of(d, second) == "assigned/" + second_agent; }, 10s));
}

TEST_CASE("reports: admins see every department, a lead only theirs, agents none") {
  HostSettings settings = handoff_settings();
  settings.config_patch["agents"].push_back({{"id", "mai"}, {"departments", {"cskh"}}, {"role", "lead"}});
  Deployment d(settings);
  for (const char* id : {"lan", "hoa", "boss", "mai"}) {
    REQUIRE(agent_cli(d, {"add", id}, std::string("mat-khau-") + id) == 0);
  }
  auto host = d.start();
  WebhookClient client(host->port(), kSecret);
  Agent lan(host->port(), "lan"), hoa(host->port(), "hoa"), boss(host->port(), "boss"), mai(host->port(), "mai");
  REQUIRE(lan.login("mat-khau-lan") == 200);
  REQUIRE(hoa.login("mat-khau-hoa") == 200);
  REQUIRE(boss.login("mat-khau-boss") == 200);
  REQUIRE(mai.login("mat-khau-mai") == 200);
  CHECK(mai.call("GET", "/api/v1/me").second.value("role", "") == "lead");

  say(client, "r1", "r1-m", "cho em gap nguoi");
  say(client, "r2", "r2-m", "cho em hoi bac si");
  REQUIRE(eventually([&] { return d.store().scalar("SELECT COUNT(*) FROM conversations WHERE state = 'queued'") == 2; },
                     10s));

  auto queues_of = [](const json& report) {
    std::vector<std::string> out;
    for (const auto& row : report["departments"]) out.push_back(row["queue"]);
    return out;
  };
  auto [admin_status, all] = boss.call("GET", "/api/v1/reports");
  REQUIRE(admin_status == 200);
  CHECK(queues_of(all) == std::vector<std::string>{"bacsi", "cskh"});
  CHECK(all["scope"]["kind"] == "all");
  CHECK(all.contains("per_day"));
  CHECK(all["answered_within_24h"]["total"] == 2);

  auto [lead_status, mine] = mai.call("GET", "/api/v1/reports");
  REQUIRE(lead_status == 200);
  CHECK(queues_of(mine) == std::vector<std::string>{"cskh"});
  CHECK(mine["scope"]["kind"] == "departments");
  CHECK(mine["scope"]["departments"] == json::array({"cskh"}));
  CHECK(mine["answered_within_24h"]["total"] == 1);
  for (const char* omitted : {"conversations", "per_day", "bot_vs_human", "top_intents", "faq_misses"}) {
    CHECK_MESSAGE(!mine.contains(omitted), omitted);
  }

  CHECK(lan.call("GET", "/api/v1/reports").first == 403);
  CHECK(hoa.call("GET", "/api/v1/reports").first == 403);

  // The CSV of a lead is scoped the same way.
  httplib::Client raw("127.0.0.1", host->port());
  auto csv = raw.Get("/api/v1/reports?format=csv", {{"Authorization", "Bearer " + mai.token()}});
  REQUIRE(csv);
  CHECK(csv->status == 200);
  CHECK(csv->body.find("departments,cskh,waiting,1") != std::string::npos);
  CHECK(csv->body.find("bacsi") == std::string::npos);
  CHECK(csv->body.find("per_day") == std::string::npos);
  CHECK(csv->body.find("scope,departments") != std::string::npos);
}
