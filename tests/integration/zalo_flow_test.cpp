// A Vietnamese Zalo message end to end through the real host: `switchboard
// run` with the real zalo_oa and reply plugins and a SQLite file, a signed
// webhook in, the pipeline's reply out through a local Zalo Open API
// stand-in (plugins/channels/zalo_oa/tests/zalo_stand_in.hpp), then the
// seen receipt and the background profile fetch applied to the database.
// A follow runs the pipeline too: the greeting step's welcome reaches the
// stand-in while intent and faq pass over it; an unfollow runs nothing.
#include <doctest/doctest.h>
#include <httplib.h>
#include <openssl/sha.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "harness/agent_client.hpp"
#include "harness/deployment.hpp"
#include "harness/host_process.hpp"
#include "harness/store_reader.hpp"
#include "harness/temp_dir.hpp"
#include "zalo_stand_in.hpp"

using namespace switchboard::integration;
using namespace std::chrono_literals;
using Json = nlohmann::json;

namespace {

const char* kAppId = "3973586582206904190";
const char* kOaId = "4597156328937210699";
const char* kUser = "2268360619345212892";
const char* kOaSecret = "oa-secret-integration";
const char* kAppSecret = "app-secret-integration";

std::string sha256_hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) out += std::string{hex[b >> 4], hex[b & 0xF]};
  return out;
}

// `patch`: an RFC 7386 merge patch over the config (pipelines, departments…).
std::string config_text(const std::filesystem::path& data_dir, const std::string& zalo_base,
                        const Json& patch = Json::object()) {
  Json config = {
      {"service", {{"listen", "127.0.0.1:0"}, {"data_dir", data_dir.string()}, {"retry_base_ms", 100}}},
      {"inboxes",
       {{{"id", "zalo"},
         {"channel",
          {{"plugin", "zalo_oa"},
           {"config",
            {{"app_id", kAppId},
             {"oa_id", kOaId},
             {"oa_secret_key", "${ZALO_OA_SECRET_KEY}"},
             {"app_secret", "${ZALO_APP_SECRET}"},
             {"access_token", "${ZALO_ACCESS_TOKEN}"},
             {"refresh_token", "${ZALO_REFRESH_TOKEN}"},
             {"api_base", zalo_base},
             {"oauth_base", zalo_base}}}}},
         {"pipeline", "main"}}}},
      {"pipelines",
       {{"main", {{"steps", {{{"plugin", "reply"}, {"config", {{"text", "Dạ, shop đã nhận: {text}"}}}}}}}}}},
  };
  config.merge_patch(patch);
  return config.dump(2);
}

const HostProcess::Environment kZaloEnvironment = {{"ZALO_OA_SECRET_KEY", kOaSecret},
                                                   {"ZALO_APP_SECRET", kAppSecret},
                                                   {"ZALO_ACCESS_TOKEN", "access-0"},
                                                   {"ZALO_REFRESH_TOKEN", "refresh-0"}};

Json user_text(const std::string& msg_id, const std::string& text, const std::string& timestamp) {
  return {{"event_name", "user_send_text"},
          {"app_id", kAppId},
          {"sender", {{"id", kUser}}},
          {"recipient", {{"id", kOaId}}},
          {"message", {{"text", text}, {"msg_id", msg_id}}},
          {"timestamp", timestamp}};
}

Json follow_event(const std::string& name, const std::string& timestamp) {
  return {{"oa_id", kOaId},        {"follower", {{"id", kUser}}}, {"user_id_by_app", "7970353048129799335"},
          {"event_name", name},    {"source", "oa_profile"},      {"app_id", kAppId},
          {"timestamp", timestamp}};
}

int post_event(httplib::Client& client, const Json& event) {
  std::string body = event.dump();
  std::string mac = sha256_hex(kAppId + body + event.value("timestamp", "") + kOaSecret);
  auto res = client.Post("/webhooks/zalo", {{"X-ZEvent-Signature", "mac=" + mac}}, body, "application/json");
  return res ? res->status : 0;
}

}  // namespace

TEST_CASE("a Vietnamese Zalo message is answered through the Open API; receipt and profile land in the database") {
  zalo_test::ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  TempDir dir("sb_zalo");
  auto config = dir.write("switchboard.json", config_text(dir.path() / "data", zalo.base()));
  HostProcess host(config, kZaloEnvironment);
  StoreReader store(dir.path() / "data" / "switchboard.db");
  httplib::Client client("127.0.0.1", host.port());
  INFO(host.log_tail());

  std::string nfd = "Cho mi\xCC\x80nh ho\xCC\x89i gia\xCC\x81 kha\xCC\x81m ra\xCC\x86ng a\xCC\xA3";  // decomposed
  Json message = {{"event_name", "user_send_text"},
                  {"app_id", kAppId},
                  {"sender", {{"id", kUser}}},
                  {"recipient", {{"id", kOaId}}},
                  {"message", {{"text", nfd}, {"msg_id", "20066aabcf5c5b05024a"}}},
                  {"timestamp", "1788774935693"},
                  {"user_id_by_app", "7970353048129799335"}};
  CHECK(post_event(client, message) == 200);
  CHECK(post_event(client, message) == 200);  // Zalo's retry: acknowledged, stored once

  REQUIRE(eventually([&] { return zalo.sent().size() == 1; }, 15s));
  Json sent = zalo.sent()[0];
  CHECK(sent["recipient"]["user_id"] == kUser);
  CHECK(sent["message"]["text"] == "Dạ, shop đã nhận: Cho mình hỏi giá khám răng ạ");  // NFC
  CHECK(zalo.tokens_used().at(0) == "access-0");
  REQUIRE(eventually([&] { return store.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 1; }, 10s));
  CHECK(store.rows("SELECT platform_message_id FROM outbox")[0][0] == "msg1");
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events WHERE channel_message_id = '20066aabcf5c5b05024a'") == 1);

  // Seen on the phone: the reply is marked read.
  Json seen = {{"event_name", "user_seen_message"},  {"app_id", kAppId},
               {"sender", {{"id", kUser}}},          {"recipient", {{"id", kOaId}}},
               {"message", {{"msg_ids", {"msg1"}}}}, {"timestamp", "1788774999000"}};
  CHECK(post_event(client, seen) == 200);
  CHECK(eventually([&] { return store.scalar("SELECT COUNT(*) FROM messages WHERE delivery = 'read'") == 1; }, 10s));

  // The profile fetched in the background named the contact.
  CHECK(
      eventually([&] { return !store.rows("SELECT name FROM contacts WHERE name = 'Nguyễn Thị Lan'").empty(); }, 10s));
  CHECK(zalo.detail_calls == 1);

  // A forged webhook stores nothing.
  auto forged = client.Post("/webhooks/zalo", {{"X-ZEvent-Signature", "mac=" + std::string(64, '0')}}, message.dump(),
                            "application/json");
  REQUIRE(forged);
  CHECK(forged->status == 401);
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events") == 3);  // message, receipt, profile
  CHECK(host.terminate() == 0);
}

TEST_CASE("a Zalo follow runs the pipeline: the greeting's welcome reaches Zalo; an unfollow runs nothing") {
  zalo_test::ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  TempDir dir("sb_zalo_follow");
  const std::string intents = std::string(SWITCHBOARD_SOURCE_DIR) + "/intents/vi/";
  const std::string welcome = "Cảm ơn bạn đã quan tâm Phòng khám Hoa Sen!";
  // Steps that need text come first: they must pass over the follow.
  Json steps = {
      {{"plugin", "intent"}, {"config", {{"packs", {intents + "clinic.json"}}, {"unmatched_tag", "no_intent"}}}},
      {{"plugin", "faq"}, {"config", {{"packs", {intents + "clinic-faq.json"}}}}},
      {{"plugin", "greeting"}, {"config", {{"follow_text", welcome}, {"on_first_message", false}}}}};
  auto config = dir.write("switchboard.json", config_text(dir.path() / "data", zalo.base(),
                                                          {{"pipelines", {{"main", {{"steps", steps}}}}}}));
  HostProcess host(config, kZaloEnvironment);
  StoreReader store(dir.path() / "data" / "switchboard.db");
  httplib::Client client("127.0.0.1", host.port());
  INFO(host.log_tail());

  CHECK(post_event(client, follow_event("follow", "1788774900000")) == 200);
  REQUIRE(eventually([&] { return zalo.sent().size() == 1; }, 15s));
  CHECK(zalo.sent()[0]["recipient"]["user_id"] == kUser);
  CHECK(zalo.sent()[0]["message"]["text"] == welcome);
  REQUIRE(eventually([&] { return store.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 1; }, 10s));
  CHECK(store.rows("SELECT tag FROM tags") == std::vector<Row>{{"followed"}});       // no faq_miss, no no_intent
  CHECK(store.scalar("SELECT COUNT(*) FROM messages WHERE direction = 'in'") == 0);  // a follow is not a message
  CHECK(store.rows("SELECT json_extract(profile_json, '$.zalo_follower') FROM identities") == std::vector<Row>{{"1"}});

  // Unfollow: the contact is updated, nothing runs, nothing is sent.
  CHECK(post_event(client, follow_event("unfollow", "1788774960000")) == 200);
  REQUIRE(eventually(
      [&] {
        return store.scalar(
                   "SELECT COUNT(*) FROM inbound_events WHERE channel_message_id LIKE 'unfollow:%' "
                   "AND processed_at IS NOT NULL") == 1;
      },
      10s));
  CHECK(store.rows("SELECT json_extract(profile_json, '$.zalo_follower') FROM identities") == std::vector<Row>{{"0"}});
  CHECK(store.scalar("SELECT COUNT(*) FROM outbox") == 1);
  CHECK(zalo.sent().size() == 1);
  CHECK(host.terminate() == 0);
}

TEST_CASE("a Zalo customer rates the agent with buttons, then withdraws: the contact is erased") {
  zalo_test::ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  TempDir dir("sb_zalo_csat");
  Json handoff = {{"plugin", "handoff"},
                  {"config", {{"rules", {{{"keywords", {"gặp người"}}, {"department", "cskh"}}}}, {"message", ""}}}};
  Json reply = {{"plugin", "reply"}, {"config", {{"text", "bot: {text}"}}}};
  Json patch = {{"pipelines", {{"main", {{"steps", {handoff, reply}}}}}},
                {"departments", {{{"id", "cskh"}, {"name", "CSKH"}, {"csat", {{"enabled", true}}}}}},
                {"agents", {{{"id", "boss"}, {"role", "admin"}}}}};
  auto config = dir.write("switchboard.json", config_text(dir.path() / "data", zalo.base(), patch));
  REQUIRE(agent_cli(config, {"add", "boss"}, "mat-khau-boss", kZaloEnvironment) == 0);
  HostProcess host(config, kZaloEnvironment);
  StoreReader store(dir.path() / "data" / "switchboard.db");
  httplib::Client client("127.0.0.1", host.port());
  INFO(host.log_tail());

  CHECK(post_event(client, user_text("m-1", "cho mình gặp người", "1788774935000")) == 200);
  REQUIRE(
      eventually([&] { return store.scalar("SELECT COUNT(*) FROM conversations WHERE state = 'queued'") == 1; }, 10s));
  // The profile fetched for a new user lands before the erase below.
  REQUIRE(eventually([&] { return store.scalar("SELECT COUNT(*) FROM contacts WHERE name <> ''") == 1; }, 10s));
  int64_t id = store.scalar("SELECT id FROM conversations");
  std::string path = "/api/v1/conversations/" + std::to_string(id);
  AgentClient boss(host.port(), "boss");
  REQUIRE(boss.login("mat-khau-boss") == 200);
  CHECK(boss.call("POST", path + "/claim").first == 200);
  CHECK(boss.call("POST", path + "/reply", {{"text", "Dạ em nghe ạ"}}).first == 200);
  CHECK(boss.call("POST", path + "/resolve").first == 200);

  // The question reaches Zalo with five buttons whose taps send 1..5 back.
  auto sent_where = [&](const std::function<bool(const Json&)>& match) {
    Json found;
    eventually(
        [&] {
          for (const Json& m : zalo.sent()) {
            if (match(m["message"])) found = m["message"];
          }
          return !found.is_null();
        },
        10s);
    return found;
  };
  Json question = sent_where([](const Json& m) { return m.contains("attachment"); });
  REQUIRE(question.is_object());
  CHECK(question["text"].get<std::string>().find("Trả lời 1–5") != std::string::npos);
  Json buttons = question["attachment"]["payload"]["buttons"];
  REQUIRE(buttons.size() == 5);
  CHECK(buttons[4] == Json{{"title", "5 ⭐"}, {"type", "oa.query.show"}, {"payload", "5"}});

  // A tap on "4": stored on the conversation and thanked; not the bot's.
  CHECK(post_event(client, user_text("m-2", "4", "1788774936000")) == 200);
  REQUIRE(eventually([&] { return store.scalar("SELECT COALESCE(csat_rating, 0) FROM conversations") == 4; }, 10s));
  Json thanks = sent_where([](const Json& m) { return m.value("text", "").rfind("Cảm ơn", 0) == 0; });
  CHECK(thanks.is_object());
  for (const Json& m : zalo.sent()) CHECK(m["message"].value("text", "").rfind("bot:", 0) != 0);
  CHECK(boss.conversation(id)["conversation"]["csat"]["rating"] == 4);

  // user_withdraw: everything of the person goes, audited as the system.
  Json withdraw = {{"event_name", "user_withdraw"},
                   {"app_id", kAppId},
                   {"oa_id", kOaId},
                   {"user_id", kUser},
                   {"timestamp", "1788774937000"}};
  CHECK(post_event(client, withdraw) == 200);
  REQUIRE(eventually([&] { return store.scalar("SELECT COUNT(*) FROM contacts") == 0; }, 10s));
  CHECK(store.scalar("SELECT COUNT(*) FROM identities") == 0);
  CHECK(store.scalar("SELECT COUNT(*) FROM conversations") == 0);
  CHECK(store.scalar("SELECT COUNT(*) FROM messages") == 0);
  CHECK(store.scalar("SELECT COUNT(*) FROM outbox") == 0);
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events") == 0);
  // The audit entry follows the erase's own transaction, as for the API's DELETE.
  CHECK(eventually(
      [&] {
        return store.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'contact_delete' AND actor = 'system'") == 1;
      },
      10s));
  CHECK(host.terminate() == 0);
}
