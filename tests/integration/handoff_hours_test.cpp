// Handoff in business time through the real host and HTTP: SLA deadlines
// count only a department's opening hours (also across a restart), agents
// get conversations only while it is open, the handoff message tells the
// queue position and ETA, canned replies render the contact's variables, and
// the CSAT question is asked once and its rating stored. The host's clock is
// moved with SWITCHBOARD_TEST_CLOCK_FILE, never waited for.
#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "harness/agent_client.hpp"
#include "harness/deployment.hpp"
#include "harness/handoff_steps.hpp"
#include "harness/metrics_text.hpp"
#include "harness/webhook_client.hpp"

using namespace switchboard::integration;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Asia/Ho_Chi_Minh wall times of the scenario.
constexpr int64_t kMonday1730 = 1795429800000;   // 2026-11-23 17:30, cskh closed since 17:00
constexpr int64_t kTuesday0759 = 1795481940000;  // still closed
constexpr int64_t kTuesday0830 = 1795483800000;  // 30 open minutes after the 08:00 opening
constexpr int64_t kTuesday0831 = 1795483860000;

// The host's clock: an offset from the system clock, read on every call.
class TestClock {
 public:
  TestClock() : dir_("sb_clock"), file_(dir_.write("clock", "0")) {}
  const std::filesystem::path& file() const { return file_; }
  void set(int64_t wall_ms) {
    auto real =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    dir_.write("clock", std::to_string(wall_ms - real));
  }

 private:
  TempDir dir_;
  std::filesystem::path file_;
};

HostSettings hours_settings(const TestClock& clock) {
  HostSettings s;
  s.reply_text = "bot: {text}";
  json handoff = {{"plugin", "handoff"},
                  {"config",
                   {{"rules",
                     {{{"keywords", {"gặp người"}}, {"department", "cskh"}},
                      {{"keywords", {"kế toán"}}, {"department", "ketoan"}}}},
                    {"names", {{"cskh", "CSKH"}, {"ketoan", "Kế toán"}}},
                    {"message", "Đã chuyển cho bộ phận {department}, bạn đang ở vị trí {position}, dự kiến {eta}."}}}};
  json reply = {{"plugin", "reply"}, {"config", {{"text", s.reply_text}}}};
  json every_day = json::array({"08:00-17:00"});
  json weekly = json::object();
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) weekly[day] = every_day;
  s.config_patch = {
      {"pipelines", {{"main", {{"steps", {handoff, reply}}}}}},
      // cskh first: one SLA pass checks it before ketoan, at the same clock.
      {"departments",
       {{{"id", "cskh"},
         {"name", "CSKH"},
         {"calendar", {{"timezone", "Asia/Ho_Chi_Minh"}, {"weekly", weekly}}},
         {"sla", {{"first_response_minutes", 30}, {"escalation", "raise_priority"}}},
         {"csat", {{"enabled", true}}}},
        {{"id", "ketoan"}, {"name", "Kế toán"}, {"eta_minutes", 20}, {"sla", {{"first_response_minutes", 30}}}}}},
      {"agents", {{{"id", "lan"}, {"name", "Lan"}, {"departments", {"cskh"}}}, {{"id", "boss"}, {"role", "admin"}}}},
      {"canned_responses",
       {{{"id", "chao"},
         {"title", "Chào"},
         {"text", "Dạ chào {contact.name|bạn}, em là {agent.name} bên {department} ạ."},
         {"departments", {"cskh"}}},
        {{"id", "phi"}, {"title", "Học phí"}, {"text", "Dạ phí là 500.000đ ạ."}, {"departments", {"ketoan"}}},
        {{"id", "cam-on"}, {"title", "Cảm ơn"}, {"text", "Cảm ơn {contact.name|bạn}!"}}}},
  };
  s.environment = {{"SWITCHBOARD_TEST_CLOCK_FILE", clock.file().string()}};
  return s;
}

// The latest text delivered to `user` that contains `piece`, once it arrives.
bool delivered(Deployment& d, const std::string& user, const std::string& piece) {
  return d.receiver().wait_until(
      [&](const std::vector<Delivery>& all) {
        return std::any_of(all.begin(), all.end(), [&](const Delivery& x) {
          return x.user_id == user && x.text.find(piece) != std::string::npos;
        });
      },
      10s);
}

int64_t breaches_of(const Deployment& d, int64_t conversation) {
  return d.store().scalar("SELECT COUNT(*) FROM sla_breaches WHERE conversation_id = " + std::to_string(conversation));
}

}  // namespace

TEST_CASE(
    "handoff in business time: closed departments wait, SLAs count open hours across a restart, "
    "position and ETA, canned replies, CSAT once") {
  TestClock clock;
  clock.set(kMonday1730);
  Deployment d(hours_settings(clock));
  REQUIRE(agent_cli(d.config_file(), {"add", "lan"}, "mat-khau-lan", {{"SB_SECRET", kSecret}}) == 0);
  REQUIRE(agent_cli(d.config_file(), {"add", "boss"}, "mat-khau-boss", {{"SB_SECRET", kSecret}}) == 0);
  auto host = d.start();
  WebhookClient client(host->port(), kSecret);

  // Monday 17:30: cskh is closed. The handoff message says so, with the
  // queue position; ketoan has no calendar (always open) and no history,
  // so its estimate is the configured default.
  say(client, "u1", "u1-a", "cho em gap nguoi");
  CHECK(delivered(d, "u1",
                  "bạn đang ở vị trí 1, dự kiến ngoài giờ làm việc, chúng tôi sẽ trả lời lúc 08:00 Thứ Ba 24/11"));
  say(client, "u2", "u2-a", "gặp người với ạ");
  CHECK(delivered(d, "u2", "bạn đang ở vị trí 2,"));
  say(client, "k1", "k1-a", "cho hỏi kế toán");
  CHECK(delivered(d, "k1", "Đã chuyển cho bộ phận Kế toán, bạn đang ở vị trí 1, dự kiến khoảng 20 phút"));
  int64_t u1 = conversation_of(d, "u1"), u2 = conversation_of(d, "u2"), k1 = conversation_of(d, "k1");
  REQUIRE(state_of(d, u1) == "queued/");

  // lan comes online: the presence call runs an assignment pass before it
  // answers, and the closed department keeps its backlog.
  AgentClient lan(host->port(), "lan"), boss(host->port(), "boss");
  REQUIRE(lan.login("mat-khau-lan") == 200);
  lan.online();
  CHECK(state_of(d, u1) == "queued/");
  CHECK(state_of(d, u2) == "queued/");

  // Tuesday 07:59: fourteen hours of wall time, none of it open for cskh.
  // ketoan (always open) breaches; the same SLA pass, cskh first, found
  // nothing for cskh.
  clock.set(kTuesday0759);
  REQUIRE(eventually([&] { return breaches_of(d, k1) == 1; }, 10s));
  CHECK(breaches_of(d, u1) == 0);
  CHECK(breaches_of(d, u2) == 0);
  CHECK(state_of(d, u1) == "queued/");

  // Restart at 08:31: the SLA timer survives it, counts 31 open minutes
  // and escalates once; the open department's backlog goes to lan.
  std::string stale_token = lan.token();
  REQUIRE(host->terminate() == 0);
  clock.set(kTuesday0831);
  host = d.start();
  WebhookClient again(host->port(), kSecret);
  AgentClient lan2(host->port(), "lan"), boss2(host->port(), "boss");
  lan2.forget_token(stale_token);
  CHECK(lan2.call("GET", "/api/v1/me").first == 401);  // issued Monday evening, 12 h ago: expired
  REQUIRE(lan2.login("mat-khau-lan") == 200);
  REQUIRE(boss2.login("mat-khau-boss") == 200);
  CHECK(eventually([&] { return state_of(d, u1) == "assigned/lan" && state_of(d, u2) == "assigned/lan"; }, 10s));
  REQUIRE(eventually([&] { return breaches_of(d, u1) == 1; }, 10s));
  CHECK(d.store().scalar("SELECT breached_at FROM sla_breaches WHERE conversation_id = " + std::to_string(u1)) >=
        kTuesday0830);
  CHECK(d.store().scalar("SELECT started_at FROM sla_breaches WHERE conversation_id = " + std::to_string(u1)) <
        kTuesday0759);
  CHECK(eventually(
      [&] { return d.store().scalar("SELECT priority FROM conversations WHERE id = " + std::to_string(u1)) == 2; },
      10s));

  // Canned responses: lan sees cskh's and everyone's, never ketoan's; a
  // reply with one renders the contact's variables.
  auto [listed, canned] = lan2.call("GET", "/api/v1/canned_responses");
  CHECK(listed == 200);
  REQUIRE(canned.is_array());
  CHECK(canned.size() == 2);
  CHECK(canned[0] == json{{"id", "chao"},
                          {"title", "Chào"},
                          {"text", "Dạ chào {contact.name|bạn}, em là {agent.name} bên {department} ạ."}});
  CHECK(boss2.call("GET", "/api/v1/canned_responses").second.size() == 3);
  std::string u1_path = "/api/v1/conversations/" + std::to_string(u1);
  CHECK(lan2.call("POST", u1_path + "/reply", {{"canned_id", "chao"}}).first == 200);
  CHECK(delivered(d, "u1", "Dạ chào Khách u1, em là Lan bên CSKH ạ."));
  CHECK(lan2.call("POST", u1_path + "/reply", {{"canned_id", "phi"}}).first == 403);
  CHECK(lan2.call("POST", u1_path + "/reply", {{"canned_id", "khong-co"}}).first == 400);

  // CSAT: resolving asks once (plain text on the api channel); the rating
  // is stored, thanked, and never reaches the bot.
  CHECK(lan2.call("POST", u1_path + "/resolve").first == 200);
  CHECK(delivered(d, "u1", "Trả lời 1–5"));
  CHECK(lan2.conversation(u1)["conversation"]["csat"]["rating"].is_null());
  say(again, "u1", "u1-rating", "5 sao, rất tốt");
  CHECK(delivered(d, "u1", "Cảm ơn bạn đã đánh giá!"));
  json csat = boss2.conversation(u1)["conversation"]["csat"];
  CHECK(csat["rating"] == 5);
  CHECK(csat["comment"] == "rất tốt");
  CHECK(csat["asked_at"].get<int64_t>() >= kTuesday0831);
  CHECK(csat["answered_at"].get<int64_t>() >= csat["asked_at"].get<int64_t>());
  for (const Delivery& x : d.receiver().deliveries()) CHECK(x.text.find("bot: 5 sao") == std::string::npos);
  CHECK(metric_eventually(again, "switchboard_csat_ratings_total", {{"department", "cskh"}, {"rating", "5"}}, 1) == 1);
  CHECK(boss2.call("GET", "/api/v1/conversations/" + std::to_string(u2)).second["conversation"]["csat"].is_null());

  // Back to a person and resolved again: no second question.
  CHECK(boss2.call("POST", u1_path + "/assign", {{"queue", "cskh"}}).first == 200);
  CHECK(eventually([&] { return state_of(d, u1) == "assigned/lan"; }, 10s));
  CHECK(lan2.call("POST", u1_path + "/resolve").first == 200);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM outbox WHERE conversation_id = " + std::to_string(u1) +
                         " AND payload_json LIKE '%\"csat\":true%'") == 1);
  CHECK(d.store().scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'csat_asked'") == 1);
  // The contact export carries the rating.
  auto [exported, data] = boss2.call(
      "GET", "/api/v1/contacts/" +
                 std::to_string(boss2.conversation(u1)["conversation"]["contact"]["id"].get<int64_t>()) + "/export");
  CHECK(exported == 200);
  CHECK(data["conversations"][0]["csat_rating"] == 5);
}
