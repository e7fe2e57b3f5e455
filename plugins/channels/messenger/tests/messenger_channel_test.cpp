// The messenger channel through FakeHost: the Webhooks handshake, signed
// batches of every event kind, and the Send API against a Graph stand-in
// (cpp-httplib on loopback) that answers like the spec's §6 and §8.2.
#include <doctest/doctest.h>
#include <httplib.h>
#include <switchboard/plugins/signature.hpp>
#include <switchboard/testing/fake_host.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using switchboard::plugins::hmac_sha256_hex;
using switchboard::testing::CallResult;
using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

namespace {

const char* kAppId = "1234567890";
const char* kSecret = "app-secret-abc";
const char* kToken = "EAAG page+token/1";
const char* kVerify = "verify me";
const char* kPage = "111222333";
const char* kPsid = "7001";
const int64_t kHour = 3600 * 1000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Json signed_headers(const std::string& body) {
  return {{"x-hub-signature-256", "sha256=" + hmac_sha256_hex(kSecret, body)}};
}

Json config(const std::string& graph_base = "http://127.0.0.1:9") {
  return {{"app_id", kAppId},        {"app_secret", kSecret}, {"page_access_token", kToken},
          {"verify_token", kVerify}, {"page_id", kPage},      {"graph_api_base", graph_base},
          {"timeout_ms", 500}};
}

// A page webhook body with the given entries. std::vector, not Json, so a
// one-element list stays an array (nlohmann reads {x} as a copy of x).
std::string page_body(const std::vector<Json>& entries) { return Json{{"object", "page"}, {"entry", entries}}.dump(); }

Json entry(const std::vector<Json>& messaging, const char* list = "messaging") {
  return {{"id", kPage}, {"time", 1458692752478}, {list, messaging}};
}

Json user_item(const std::string& psid, const Json& extra) {
  Json item = {{"sender", {{"id", psid}}}, {"recipient", {{"id", kPage}}}, {"timestamp", 1458692752478}};
  item.update(extra);
  return item;
}

CallResult post(FakeHost& host, switchboard::testing::Instance& inst, const std::string& body) {
  return host.http(inst, "POST", body, signed_headers(body));
}

// The Graph API stand-in: POST /v21.0/me/messages?access_token=…
class GraphStandIn {
 public:
  GraphStandIn() {
    server_.Post("/v21.0/me/messages", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      bodies.push_back(req.body);
      tokens.push_back(req.get_param_value("access_token"));
      if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      if (req.get_param_value("access_token") != kToken) {
        res.status = 400;
        res.set_content(error_body(190, 460, "OAuthException", "Invalid OAuth access token."), "application/json");
        return;
      }
      res.status = status;
      if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
      if (!answer.empty()) return res.set_content(answer, "application/json");
      Json ok = {{"recipient_id", Json::parse(req.body)["recipient"]["id"]},
                 {"message_id", "m_" + std::to_string(bodies.size())}};
      res.set_content(ok.dump(), "application/json");
    });
    server_.Post("/v21.0/me/pass_thread_control", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      handovers.push_back(req.body);
      if (req.get_param_value("access_token") != kToken || handover_refused) {
        res.status = 400;
        return res.set_content(
            error_body(10, 2018300, "OAuthException", "Handover Protocol APIs disabled for this page."),
            "application/json");
      }
      res.set_content(R"({"success":true})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~GraphStandIn() {
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Answers every following call with this Graph error.
  void fail(int http_status, int code, int subcode, const std::string& message) {
    status = http_status;
    answer = error_body(code, subcode, "OAuthException", message);
  }
  std::vector<Json> sent() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Json> out;
    for (const auto& b : bodies) out.push_back(Json::parse(b));
    return out;
  }

  static std::string error_body(int code, int subcode, const std::string& type, const std::string& message) {
    Json error = {{"message", message}, {"type", type}, {"code", code}, {"fbtrace_id", "BLBz/WZt8dN"}};
    if (subcode != 0) error["error_subcode"] = subcode;
    return Json{{"error", error}}.dump();
  }

  int status = 200;
  std::string answer;
  std::string retry_after;
  int delay_ms = 0;
  std::vector<std::string> bodies;
  std::vector<std::string> tokens;
  std::vector<std::string> handovers;
  bool handover_refused = false;

 private:
  httplib::Server server_;
  std::mutex mutex_;
  int port_ = 0;
  std::thread thread_;
};

Json outbound(const std::string& text, int64_t age_ms, bool automated = true) {
  return {{"idempotency_key", "42"},
          {"recipient", {{"id", kPsid}}},
          {"text", text},
          {"automated", automated},
          {"in_reply_to", "m_in"},
          {"conversation_id", "1"},
          {"last_inbound_at", now_ms() - age_ms}};
}

bool logged(const FakeHost& host, const std::string& needle) {
  for (const auto& line : host.logs()) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the GET handshake answers hub.challenge only for subscribe + the right verify token") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  auto ok = host.http(ch, "GET", "", {}, "hub.mode=subscribe&hub.verify_token=verify%20me&hub.challenge=1158201444");
  CHECK(ok.status == SB_OK);
  CHECK(ok.http_status == 200);
  CHECK(ok.http_content_type == "text/plain");
  CHECK(ok.http_body == "1158201444");
  CHECK(host.http(ch, "GET", "", {}, "hub.mode=subscribe&hub.verify_token=verify+me&hub.challenge=7").http_body == "7");

  for (const char* query : {"hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
                            "hub.mode=unsubscribe&hub.verify_token=verify%20me&hub.challenge=1",
                            "hub.mode=subscribe&hub.challenge=1", ""}) {
    auto refused = host.http(ch, "GET", "", {}, query);
    CHECK(refused.http_status == 403);
    CHECK(refused.http_body.find("1") == std::string::npos);
  }
  CHECK(host.http(ch, "PUT", "", {}).http_status == 405);
}

TEST_CASE("a signed text message becomes one inbound event and is acknowledged") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  std::string body = page_body({entry({user_item(kPsid, {{"message", {{"mid", "m_1"}, {"text", "hello"}}}})})});
  auto r = post(host, ch, body);
  CHECK(r.status == SB_OK);
  CHECK(r.http_status == 200);
  CHECK(r.http_body == "EVENT_RECEIVED");
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0] == Json{{"id", "m_1"},
                               {"type", "message"},
                               {"sender", {{"id", kPsid}}},
                               {"timestamp", 1458692752478},
                               {"text", "hello"},
                               {"attachments", Json::array()}});
}

TEST_CASE("a missing, wrong or stale signature is 403 and nothing is submitted") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  std::string body = page_body({entry({user_item(kPsid, {{"message", {{"mid", "m_1"}, {"text", "hi"}}}})})});
  std::string tampered = body;
  tampered.replace(tampered.find("hi"), 2, "yo");
  std::string hex = hmac_sha256_hex(kSecret, body);
  for (Json headers : {Json::object(), Json{{"x-hub-signature-256", "sha256=" + std::string(64, '0')}},
                       Json{{"x-hub-signature-256", hex}}, Json{{"x-hub-signature-256", "sha1=" + hex}},
                       Json{{"x-hub-signature-256", "sha256=" + hmac_sha256_hex("other-secret", body)}}}) {
    auto r = host.http(ch, "POST", body, headers);
    CHECK(r.http_status == 403);
    CHECK(Json::parse(r.http_body)["error"] == "missing or wrong X-Hub-Signature-256");
    CHECK(r.submitted.empty());
  }
  auto r = host.http(ch, "POST", tampered, signed_headers(body));
  CHECK(r.http_status == 403);
  CHECK(r.submitted.empty());
}

TEST_CASE("a batch of 2 entries x 2 messaging items becomes 4 events in delivery order") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  std::string body =
      page_body({entry({user_item("u1", {{"message", {{"mid", "m_1"}, {"text", "a"}}}}),
                        user_item("u2", {{"message", {{"mid", "m_2"}, {"text", "b"}}}})}),
                 entry({user_item("u1", {{"postback", {{"mid", "m_3"}, {"title", "Start"}, {"payload", "GO"}}}}),
                        user_item("u3", {{"read", {{"watermark", 1458668856253}}}})})});
  auto r = post(host, ch, body);
  REQUIRE(r.submitted.size() == 4);
  CHECK(r.submitted[0]["id"] == "m_1");
  CHECK(r.submitted[1]["id"] == "m_2");
  CHECK(r.submitted[1]["sender"]["id"] == "u2");
  CHECK(r.submitted[2]["id"] == "m_3");
  CHECK(r.submitted[3]["id"] == "read:u3:1458668856253");
}

TEST_CASE("quick replies, postbacks and attachments carry their payloads") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  Json quick =
      user_item(kPsid, {{"message", {{"mid", "m_q"}, {"text", "Red"}, {"quick_reply", {{"payload", "PICK_RED"}}}}}});
  Json postback =
      user_item(kPsid, Json::parse(R"({"postback": {"mid": "m_p", "title": "Get Started", "payload": "START",
                                                "referral": {"ref": "ad1", "source": "ADS"}}})"));
  Json media = user_item(
      kPsid,
      {{"message",
        {{"mid", "m_a"},
         {"reply_to", {{"mid", "m_earlier"}}},
         {"attachments",
          {{{"type", "image"}, {"payload", {{"url", "https://cdn.example/p.jpg?x=1"}}}},
           {{"type", "file"}, {"payload", {{"url", "https://cdn.example/files/bao-gia.pdf?oh=1"}}}},
           {{"type", "image"}, {"payload", {{"url", "https://cdn.example/s.png"}, {"sticker_id", 369239263222822}}}},
           {{"type", "fallback"}, {"payload", {{"url", "https://example.com/a"}, {"title", "A link"}}}}}}}}});
  auto r = post(host, ch, page_body({entry({quick, postback, media})}));
  REQUIRE(r.submitted.size() == 3);
  CHECK(r.submitted[0]["type"] == "message");
  CHECK(r.submitted[0]["text"] == "Red");
  CHECK(r.submitted[0]["quick_reply"]["payload"] == "PICK_RED");

  CHECK(r.submitted[1]["type"] == "message");
  CHECK(r.submitted[1]["id"] == "m_p");
  CHECK(r.submitted[1]["text"] == "Get Started");
  CHECK(r.submitted[1]["postback"] == Json{{"title", "Get Started"}, {"payload", "START"}});
  CHECK(r.submitted[1]["referral"]["ref"] == "ad1");

  const Json& a = r.submitted[2]["attachments"];
  CHECK(r.submitted[2]["reply_to"] == "m_earlier");
  REQUIRE(a.size() == 4);
  CHECK(a[0] == Json{{"type", "image"}, {"url", "https://cdn.example/p.jpg?x=1"}, {"name", ""}});
  CHECK(a[1] == Json{{"type", "file"}, {"url", "https://cdn.example/files/bao-gia.pdf?oh=1"}, {"name", "bao-gia.pdf"}});
  CHECK(a[2]["sticker_id"] == "369239263222822");
  CHECK(a[3]["name"] == "A link");
}

TEST_CASE("our own echoes are ignored; a human's echo from the Page Inbox is an agent message to the customer") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  auto echo = [](const Json& message) {
    return Json{{"sender", {{"id", kPage}}},
                {"recipient", {{"id", kPsid}}},
                {"timestamp", 1458692752478},
                {"message", message}};
  };
  Json ours = echo({{"is_echo", true}, {"app_id", 1234567890}, {"mid", "m_e1"}, {"text", "bot said"}});
  Json ours_string = echo({{"is_echo", true}, {"app_id", "1234567890"}, {"mid", "m_e2"}, {"text", "bot said"}});
  Json inbox = echo({{"is_echo", true}, {"app_id", 263902037430900}, {"mid", "m_e3"}, {"text", "Chị đợi em chút nhé"}});
  Json bare = echo({{"is_echo", true}, {"mid", "m_e4"}, {"text", "typed on the phone"}});
  auto r = post(host, ch, page_body({entry({ours, ours_string, inbox, bare})}));
  REQUIRE(r.submitted.size() == 2);
  CHECK(r.submitted[0]["id"] == "m_e3");
  CHECK(r.submitted[0]["type"] == "agent_message");
  CHECK(r.submitted[0]["sender"]["id"] == kPsid);
  CHECK(r.submitted[0]["text"] == "Chị đợi em chút nhé");
  CHECK(r.submitted[0]["app_id"] == "263902037430900");
  CHECK(r.submitted[1]["type"] == "agent_message");
  CHECK(r.submitted[1]["sender"]["id"] == kPsid);
  CHECK(logged(host, "echo of our own send m_e1"));
}

TEST_CASE("delivery and read watermarks become receipt events with derived dedup ids") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  Json delivery = {{"sender", {{"id", kPsid}}},
                   {"recipient", {{"id", kPage}}},
                   {"delivery", {{"mids", {"m_1", "m_2"}}, {"watermark", 1458668856253}}}};
  Json read = user_item(kPsid, {{"read", {{"watermark", "1458668856999"}}}});
  auto r = post(host, ch, page_body({entry({delivery, read})}));
  REQUIRE(r.submitted.size() == 2);
  CHECK(r.submitted[0]["id"] == "delivery:7001:1458668856253");
  CHECK(r.submitted[0]["type"] == "receipt");
  CHECK(r.submitted[0]["receipt"] ==
        Json{{"status", "delivered"}, {"watermark", 1458668856253}, {"mids", {"m_1", "m_2"}}});
  CHECK(r.submitted[1]["id"] == "read:7001:1458668856999");
  CHECK(r.submitted[1]["receipt"]["status"] == "read");
  // A redelivery yields the same ids, so the host stores them once.
  auto again = post(host, ch, page_body({entry({delivery, read})}));
  CHECK(again.submitted[0]["id"] == r.submitted[0]["id"]);
}

TEST_CASE("handover and standby events are submitted with their own types") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  Json pass = user_item(kPsid, {{"pass_thread_control",
                                 {{"new_owner_app_id", "263902037430900"},
                                  {"previous_owner_app_id", 1234567890},
                                  {"metadata", "human please"}}}});
  Json take = user_item(kPsid, {{"take_thread_control",
                                 {{"previous_owner_app_id", "263902037430900"}, {"new_owner_app_id", "1234567890"}}}});
  Json request = user_item(kPsid, {{"request_thread_control", {{"requested_owner_app_id", 123456789}}}});
  Json standby_msg = user_item(kPsid, {{"message", {{"mid", "m_s"}, {"text", "still there?"}}}});
  Json standby_postback = user_item(kPsid, {{"postback", {{"title", "Menu"}}}});
  auto r = post(host, ch, page_body({entry({pass, take, request}), entry({standby_msg, standby_postback}, "standby")}));
  REQUIRE(r.submitted.size() == 5);
  CHECK(r.submitted[0]["type"] == "handover");
  CHECK(r.submitted[0]["id"] == "pass_thread_control:7001:1458692752478");
  CHECK(r.submitted[0]["handover"] == Json{{"action", "pass_thread_control"},
                                           {"new_owner_app_id", "263902037430900"},
                                           {"previous_owner_app_id", "1234567890"},
                                           {"metadata", "human please"},
                                           {"to_page_inbox", true},
                                           {"to_us", false}});
  CHECK(r.submitted[1]["handover"]["action"] == "take_thread_control");
  CHECK(r.submitted[1]["handover"]["to_us"] == true);
  CHECK(r.submitted[2]["handover"]["requested_owner_app_id"] == "123456789");
  CHECK(r.submitted[3]["type"] == "standby");
  CHECK(r.submitted[3]["standby_of"] == "message");
  CHECK(r.submitted[3]["text"] == "still there?");
  CHECK(r.submitted[4]["type"] == "standby");
  CHECK(r.submitted[4]["standby_of"] == "postback");
  CHECK(r.submitted[4]["postback"]["payload"] == "");
}

TEST_CASE("referrals, reactions, edits and opt-ins pass through under their own type") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  auto r =
      post(host, ch,
           page_body({entry(
               {user_item(kPsid, {{"referral", {{"ref", "promo"}, {"source", "SHORTLINK"}, {"type", "OPEN_THREAD"}}}}),
                user_item(kPsid, {{"reaction", {{"mid", "m_1"}, {"action", "react"}, {"reaction", "love"}}}}),
                user_item(kPsid, {{"message_edit", {{"mid", "m_1"}, {"text", "fixed"}}}}),
                user_item(kPsid, {{"optin", {{"type", "notification_messages"}}}})})}));
  REQUIRE(r.submitted.size() == 4);
  CHECK(r.submitted[0]["type"] == "referral");
  CHECK(r.submitted[0]["referral"]["ref"] == "promo");
  CHECK(r.submitted[1]["type"] == "reaction");
  CHECK(r.submitted[1]["id"] == "reaction:7001:1458692752478:m_1");
  CHECK(r.submitted[2]["type"] == "message_edit");
  CHECK(r.submitted[2]["text"] == "fixed");
  CHECK(r.submitted[3]["type"] == "optin");
}

TEST_CASE("malformed bodies are 400; other objects, other Pages and unknown items are acknowledged and skipped") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  for (std::string body : {std::string("not json"), std::string("[1,2]")}) {
    auto r = post(host, ch, body);
    CHECK(r.http_status == 400);
    CHECK(r.submitted.empty());
  }
  auto instagram = post(host, ch, R"({"object":"instagram","entry":[]})");
  CHECK(instagram.http_status == 200);
  CHECK(instagram.submitted.empty());
  CHECK(logged(host, "ignored webhook for object 'instagram'"));

  Json other_page = entry({user_item(kPsid, {{"message", {{"mid", "m_x"}, {"text", "x"}}}})});
  other_page["id"] = "999";
  Json unknown = user_item(kPsid, {{"game_play", {{"score", 1}}}});
  auto r = post(host, ch, page_body({other_page, entry({unknown})}));
  CHECK(r.http_status == 200);
  CHECK(r.submitted.empty());
  CHECK(logged(host, "entry for another Page 999"));
  CHECK(logged(host, "unrecognised messaging item with keys game_play"));
}

TEST_CASE("a reply inside 24 h is sent as RESPONSE with the message id recorded") {
  GraphStandIn graph;
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(graph.base()));
  Json out = outbound("Dạ, em chào chị", 2 * kHour);
  out["quick_replies"] = {"Đặt lịch", {{"title", "Giá"}, {"payload", "PRICE"}}};
  CHECK(host.may_send(ch, out).status == SB_OK);
  auto r = host.send(ch, out);
  CHECK(r.status == SB_OK);
  CHECK(r.result["message_id"] == "m_1");
  REQUIRE(graph.sent().size() == 1);
  CHECK(graph.tokens[0] == kToken);  // percent-encoded in the query, decoded by the server
  CHECK(graph.sent()[0] == Json{{"recipient", {{"id", kPsid}}},
                                {"messaging_type", "RESPONSE"},
                                {"message",
                                 {{"text", "Dạ, em chào chị"},
                                  {"quick_replies",
                                   {{{"content_type", "text"}, {"title", "Đặt lịch"}, {"payload", "Đặt lịch"}},
                                    {{"content_type", "text"}, {"title", "Giá"}, {"payload", "PRICE"}}}}}}});
}

TEST_CASE("texts over 2000 characters are split on code points and sent in order") {
  GraphStandIn graph;
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(graph.base()));
  std::string text;
  for (int i = 0; i < 900; ++i) text += "Việt ";  // 4500 code points, multi-byte
  auto r = host.send(ch, outbound(text, kHour));
  CHECK(r.status == SB_OK);
  auto sent = graph.sent();
  REQUIRE(sent.size() == 3);
  std::string joined;
  for (const auto& s : sent) {
    std::string piece = s["message"]["text"];
    std::size_t code_points = 0;
    for (unsigned char c : piece) code_points += (c & 0xC0) != 0x80;
    CHECK(code_points <= 2000);
    joined += piece;
  }
  CHECK(joined == text);
  CHECK(r.result["message_ids"] == Json{"m_1", "m_2", "m_3"});
}

TEST_CASE("Graph errors map to retry or permanent with the code") {
  GraphStandIn graph;
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(graph.base()));
  struct Case {
    int http;
    int code;
    int subcode;
    const char* message;
    sb_status status;
    const char* result_code;
  };
  Case cases[] = {
      {400, 613, 0, "(#613) Calls to this api have exceeded the rate limit.", SB_ERR_RETRY, "613"},
      {400, 4, 2018022, "Too many send requests to phone numbers", SB_ERR_RETRY, "4/2018022"},
      {500, 1200, 0, "Temporary send message failure. Please try again later.", SB_ERR_RETRY, "1200"},
      {400, 10, 2018278, "(#10) This message is sent outside of allowed window.", SB_ERR_PERMANENT, "10/2018278"},
      {400, 10, 2018108, "This person isn't receiving messages from you right now.", SB_ERR_PERMANENT, "10/2018108"},
      {400, 551, 1545041, "(#551) This person isn't available right now.", SB_ERR_PERMANENT, "551/1545041"},
      {400, 100, 2018001, "No matching user found", SB_ERR_PERMANENT, "100/2018001"},
      {403, 200, 2018028, "Cannot message users who are not admins", SB_ERR_PERMANENT, "200/2018028"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.code);
    graph.fail(c.http, c.code, c.subcode, c.message);
    auto r = host.send(ch, outbound("hi", kHour));
    CHECK(r.status == c.status);
    CHECK(r.result["code"] == c.result_code);
    CHECK(r.error.find(c.message) != std::string::npos);
  }
  CHECK_FALSE(logged(host, "alert"));

  graph.status = 503;
  graph.answer = "<html>upstream down</html>";
  graph.retry_after = "30";
  auto down = host.send(ch, outbound("hi", kHour));
  CHECK(down.status == SB_ERR_RETRY);
  CHECK(down.result == Json{{"code", "503"}, {"retry_after_ms", 30000}});
}

TEST_CASE("a refused Page token (190) is permanent and raises an alert in the log") {
  GraphStandIn graph;
  FakeHost host(sb_plugin_entry_v1);
  Json cfg = config(graph.base());
  cfg["page_access_token"] = "revoked";
  auto ch = host.create(cfg);
  auto r = host.send(ch, outbound("hi", kHour));
  CHECK(r.status == SB_ERR_PERMANENT);
  CHECK(r.result["code"] == "190/460");
  CHECK(logged(host, "error: alert: the Page access token was refused"));
  CHECK_FALSE(logged(host, "revoked"));  // the token itself never reaches the log
}

TEST_CASE("timeouts and unreachable Graph are transient") {
  GraphStandIn graph;
  graph.delay_ms = 1500;
  FakeHost host(sb_plugin_entry_v1);
  auto slow = host.create(config(graph.base()));
  auto r = host.send(slow, outbound("hi", kHour));
  CHECK(r.status == SB_ERR_RETRY);
  CHECK(r.result["code"] == "no_response");
  auto gone = host.create(config("http://127.0.0.1:9"));
  CHECK(host.send(gone, outbound("hi", kHour)).status == SB_ERR_RETRY);
}

TEST_CASE("send windows: bot 23 h ok, 25 h refused; human 6 d tagged HUMAN_AGENT, 8 d refused") {
  GraphStandIn graph;
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(graph.base()));
  CHECK(host.may_send(ch, outbound("hi", 23 * kHour)).status == SB_OK);

  auto late = host.may_send(ch, outbound("hi", 25 * kHour));
  CHECK(late.status == SB_ERR_PERMANENT);
  CHECK(late.result["code"] == "window_closed");
  CHECK(late.error.find("standard messaging window closed") != std::string::npos);

  Json human = outbound("em là Lan, em hỗ trợ chị", 6 * 24 * kHour, false);
  auto human_check = host.may_send(ch, human);
  CHECK(human_check.status == SB_OK);
  // The HUMAN_AGENT window's end, for the web inbox: 7 days after the customer's message.
  CHECK(human_check.result["closes_at"].get<int64_t>() == human["last_inbound_at"].get<int64_t>() + 7 * 24 * kHour);
  CHECK(host.send(ch, human).status == SB_OK);
  REQUIRE(graph.sent().size() == 1);
  CHECK(graph.sent()[0]["messaging_type"] == "MESSAGE_TAG");
  CHECK(graph.sent()[0]["tag"] == "HUMAN_AGENT");

  auto too_late = host.may_send(ch, outbound("hi", 8 * 24 * kHour, false));
  CHECK(too_late.status == SB_ERR_PERMANENT);
  CHECK(too_late.result["code"] == "window_closed");
  CHECK(host.send(ch, outbound("hi", 8 * 24 * kHour, false)).status == SB_ERR_PERMANENT);
  CHECK(graph.sent().size() == 1);  // refused sends never reach the Graph API

  Json never = outbound("hi", 0);
  never["last_inbound_at"] = 0;
  CHECK(host.may_send(ch, never).status == SB_ERR_PERMANENT);

  Json cfg = config(graph.base());
  cfg["human_agent_tag"] = false;
  auto untagged = host.create(cfg);
  CHECK(host.may_send(untagged, outbound("hi", 2 * 24 * kHour, false)).status == SB_ERR_PERMANENT);
  CHECK(host.may_send(untagged, outbound("hi", 23 * kHour, false)).status == SB_OK);
}

TEST_CASE("Vietnamese text round-trips byte for byte: escaped webhook in, UTF-8 NFC out") {
  GraphStandIn graph;
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(graph.base()));
  // NFC "Tiếng Việt có dấu": ế = U+1EBF, ệ = U+1EC7, ó = U+00F3, ấ = U+1EA5.
  const std::string nfc = "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t c\xC3\xB3 d\xE1\xBA\xA5u";
  // Meta sends (and signs) non-ASCII as \uXXXX escapes.
  std::string body = std::string(R"({"object":"page","entry":[{"id":")") + kPage +
                     R"(","time":1,"messaging":[{"sender":{"id":"7001"},"recipient":{"id":")" + kPage +
                     R"("},"timestamp":1,"message":{"mid":"m_vi","text":"Ti\u1ebfng Vi\u1ec7t c\u00f3 d\u1ea5u"}}]}]})";
  auto r = post(host, ch, body);
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0]["text"].get<std::string>() == nfc);

  CHECK(host.send(ch, outbound(r.submitted[0]["text"], kHour)).status == SB_OK);
  REQUIRE(graph.bodies.size() == 1);
  CHECK(graph.bodies[0].find(nfc) != std::string::npos);  // raw UTF-8 on the wire, not re-normalised
  CHECK(graph.sent()[0]["message"]["text"].get<std::string>() == nfc);
}

TEST_CASE("config: required fields and bad values are refused") {
  FakeHost host(sb_plugin_entry_v1);
  Json missing = config();
  missing.erase("verify_token");
  CHECK_THROWS(host.create(missing));
  Json bad = config("ftp://graph");
  CHECK_THROWS_WITH_AS(host.create(bad), "create failed: graph_api_base: not an http(s) URL", std::runtime_error);
  Json zero = config();
  zero["max_text_length"] = 0;
  CHECK_THROWS_WITH_AS(host.create(zero), "create failed: max_text_length: must be positive", std::runtime_error);
}

TEST_CASE("chat-plugin guests (sender.user_ref) and string timestamps are accepted") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  Json guest = {{"sender", {{"user_ref", "guest-9"}}},
                {"recipient", {{"id", kPage}}},
                {"timestamp", "1527459824000"},
                {"message", {{"mid", "m_g"}, {"text", "hi"}}}};
  auto r = post(host, ch, page_body({entry({guest})}));
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0]["sender"]["id"] == "guest-9");
  CHECK(r.submitted[0]["timestamp"] == 1527459824000);
}

TEST_CASE("an item with fields of the wrong JSON type is skipped without failing the batch") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  Json odd = user_item(kPsid, {{"message", {{"mid", "m_odd"}, {"text", 42}}}});
  Json fine = user_item(kPsid, {{"message", {{"mid", "m_ok"}, {"text", "ok"}}}});
  auto r = post(host, ch, page_body({entry({odd, fine})}));
  CHECK(r.http_status == 200);
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0]["id"] == "m_ok");
  CHECK(logged(host, "malformed item"));
}

TEST_CASE("with pass_thread_control on, a handoff reply passes the thread to the Page Inbox after it is sent") {
  GraphStandIn graph;
  FakeHost host(sb_plugin_entry_v1);
  Json cfg = config(graph.base());
  cfg["pass_thread_control"] = true;
  auto ch = host.create(cfg);
  Json handoff = outbound("Đã chuyển nhân viên, chị đợi chút nhé", kHour);
  handoff["handoff"] = true;
  auto r = host.send(ch, handoff);
  CHECK(r.status == SB_OK);
  CHECK(r.result["handover"] == "passed");
  REQUIRE(graph.handovers.size() == 1);
  Json body = Json::parse(graph.handovers[0]);
  CHECK(body["recipient"]["id"] == kPsid);
  CHECK(body["target_app_id"] == 263902037430900);
  CHECK(graph.sent().size() == 1);

  CHECK(host.send(ch, outbound("no handoff here", kHour)).result.count("handover") == 0);
  CHECK(graph.handovers.size() == 1);

  graph.handover_refused = true;  // Conversation Routing pages refuse the Handover API
  auto refused = host.send(ch, handoff);
  CHECK(refused.status == SB_OK);  // the reply itself went out
  CHECK(refused.result["handover"] == "failed: 10/2018300");
  CHECK(logged(host, "pass_thread_control failed"));

  auto off = host.create(config(graph.base()));  // off by default
  host.send(off, handoff);
  CHECK(graph.handovers.size() == 2);
}
