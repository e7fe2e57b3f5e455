// The zalo_oa channel through FakeHost: signed webhooks of every event kind,
// and CS sends, token rotation and profile fetches against a local stand-in
// of the Open API and OAuth servers (tests/zalo_stand_in.hpp).
#include <doctest/doctest.h>
#include <switchboard/plugins/signature.hpp>
#include <switchboard/testing/fake_host.hpp>

#include <chrono>
#include <thread>

#include "../src/open_api.hpp"
#include "text/folding.hpp"
#include "zalo_stand_in.hpp"

using switchboard::plugins::sha256_hex;
using switchboard::testing::CallResult;
using switchboard::testing::FakeHost;
using switchboard::testing::Instance;
using Json = switchboard::sdk::Json;
using zalo_test::ZaloStandIn;
namespace zalo = switchboard::plugins::zalo_oa;

namespace {

const char* kAppId = "1234567890123456789";
const char* kOaId = "5550001112223334445";
const char* kOaSecret = "oa-secret-key-test";
const char* kAppSecret = "app-secret-test";
const char* kUser = "8001234567890123456";  // > 2^53: must stay a string
const int64_t kHour = 3600 * 1000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Json config(const std::string& base = "http://127.0.0.1:9", const std::string& access = "access-0",
            const std::string& refresh = "refresh-0") {
  return {{"app_id", kAppId},         {"oa_id", kOaId},         {"oa_secret_key", kOaSecret},
          {"app_secret", kAppSecret}, {"access_token", access}, {"refresh_token", refresh},
          {"api_base", base},         {"oauth_base", base},     {"timeout_ms", 2000},
          {"fetch_profile", false}};
}

std::string mac(const std::string& body, const std::string& timestamp) {
  return sha256_hex(std::string(kAppId) + body + timestamp + kOaSecret);
}

Json signed_headers(const std::string& body) {
  Json parsed = Json::parse(body);
  return {{"x-zevent-signature", "mac=" + mac(body, parsed.value("timestamp", ""))}};
}

CallResult post(FakeHost& host, Instance& inst, const std::string& body) {
  return host.http(inst, "POST", body, signed_headers(body));
}

// A user → OA event with the common envelope (field order as in production).
Json user_event(const std::string& name, const Json& message, const std::string& ts = "1790000000123") {
  return {{"event_name", name},
          {"app_id", kAppId},
          {"sender", {{"id", kUser}}},
          {"recipient", {{"id", kOaId}}},
          {"message", message},
          {"timestamp", ts},
          {"user_id_by_app", "7000000000000000001"}};
}

Json outbound(const std::string& text, int64_t age_ms, const std::string& key = "42") {
  return {{"idempotency_key", key},
          {"recipient", {{"id", kUser}}},
          {"text", text},
          {"automated", true},
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

void install_folder(FakeHost& host) {
  host.set_text_folder([](std::string_view text, int32_t form) {
    return form == SB_TEXT_NFC ? switchboard::text::to_nfc(text) : switchboard::text::fold(text);
  });
}

bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 300; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

}  // namespace

// ---------------------------------------------------------------- inbound

TEST_CASE("a signed Vietnamese text (fixed vector) becomes one message event with string ids") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  std::string body =
      R"({"event_name":"user_send_text","app_id":"1234567890123456789","sender":{"id":"8001234567890123456"},)"
      R"("recipient":{"id":"5550001112223334445"},"message":{"text":"Cho mình hỏi giá khám răng ạ",)"
      R"("msg_id":"a1b2c3d4e5f60718293a"},"timestamp":"1790000000123","user_id_by_app":"7000000000000000001"})";
  // Computed independently (Python hashlib) from the spec's formula.
  std::string expected = "ff6b33a393feebdde6f65a815986cba4d8b0c823191768a9e548087b093b5cc8";
  CHECK(mac(body, "1790000000123") == expected);
  auto r = host.http(ch, "POST", body, {{"x-zevent-signature", "mac=" + expected}});
  CHECK(r.status == SB_OK);
  CHECK(r.http_status == 200);
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0] == Json{{"id", "a1b2c3d4e5f60718293a"},
                               {"type", "message"},
                               {"sender", {{"id", "8001234567890123456"}, {"user_id_by_app", "7000000000000000001"}}},
                               {"zalo_event", "user_send_text"},
                               {"timestamp", 1790000000123},
                               {"text", "Cho mình hỏi giá khám răng ạ"},
                               {"attachments", Json::array()}});
  // Lenient header forms real traffic and docs show.
  for (std::string header : {"mac = " + expected, expected, "MAC=" + expected, "mac=" + std::string(expected)}) {
    for (char& c : header) c = header.rfind("MAC", 0) == 0 ? static_cast<char>(std::toupper(c)) : c;
    CHECK(host.http(ch, "POST", body, {{"x-zevent-signature", header}}).submitted.size() == 1);
  }
}

TEST_CASE("a missing or wrong signature is 401 and nothing is submitted") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  std::string body = user_event("user_send_text", {{"text", "hi"}, {"msg_id", "m1"}}).dump();
  std::string good = mac(body, "1790000000123");
  std::string wrong_secret = sha256_hex(std::string(kAppId) + body + "1790000000123" + kAppSecret);
  std::string no_timestamp = sha256_hex(std::string(kAppId) + body + kOaSecret);
  std::string tampered = body;
  tampered.replace(tampered.find("hi"), 2, "yo");
  for (Json headers :
       {Json::object(), Json{{"x-zevent-signature", "mac=" + std::string(64, '0')}},
        Json{{"x-zevent-signature", "mac=" + wrong_secret}}, Json{{"x-zevent-signature", "mac=" + no_timestamp}},
        Json{{"x-zevent-signature", "sha256=" + good}}, Json{{"x-zevent-signature", "mac="}}}) {
    auto r = host.http(ch, "POST", body, headers);
    CHECK(r.http_status == 401);
    CHECK(r.submitted.empty());
  }
  auto r = host.http(ch, "POST", tampered, {{"x-zevent-signature", "mac=" + good}});
  CHECK(r.http_status == 401);
  CHECK(r.submitted.empty());
  CHECK(logged(host, "missing or wrong X-ZEvent-Signature"));

  // Signed correctly but for another App: refused too.
  Json other = user_event("user_send_text", {{"text", "hi"}, {"msg_id", "m2"}});
  other["app_id"] = "999";
  std::string other_body = other.dump();
  auto foreign = host.http(ch, "POST", other_body, {{"x-zevent-signature", "mac=" + mac(other_body, "1790000000123")}});
  CHECK(foreign.http_status == 401);
  CHECK(foreign.submitted.empty());
}

TEST_CASE("the registration probe (empty body, {}, no event_name) is 200 and stores nothing") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  for (const char* body : {"", "{}", R"({"app_id":"1234567890123456789"})"}) {
    auto r = host.http(ch, "POST", body, {});
    CHECK(r.http_status == 200);
    CHECK(r.submitted.empty());
  }
  CHECK(host.http(ch, "GET", "", {}).http_status == 405);
}

TEST_CASE("media events carry attachments with type, url and name; location and sticker get their own members") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  Json image = user_event("user_send_image", Json::parse(R"({"msg_id": "img1", "text": "hộp bị móp",
      "attachments": [{"payload": {"thumbnail": "https://cdn.zalo.me/t.jpg", "url": "https://cdn.zalo.me/a.jpg"},
                       "type": "image"}]})"));
  Json file = user_event("user_send_file", Json::parse(R"({"msg_id": "f1", "attachments": [{"type": "file",
      "payload": {"size": "52100", "name": "bao-gia.pdf", "checksum": "abc", "type": "pdf",
                  "url": "https://f.zdn.vn/bao-gia.pdf"}}]})"));
  Json location = user_event("user_send_location", Json::parse(R"({"msg_id": "l1", "attachments": [{"type": "location",
      "payload": {"coordinates": {"latitude": "10.7769", "longitude": "106.7009"}}}]})"));
  Json location_numbers = user_event("user_send_location", Json::parse(R"({"msg_id": "l2", "attachments":
      [{"type": "location", "payload": {"coordinates": {"lat": 21.0285, "long": 105.8542}}}]})"));
  Json sticker = user_event("user_send_sticker", Json::parse(R"({"msg_id": "s1", "attachments": [{"type": "sticker",
      "payload": {"id": "bfe458d1f694ffcaa685", "url": "https://zalo-api.zadn.vn/s.png"}}]})"));
  Json link = user_event("user_send_link", Json::parse(R"({"msg_id": "k1", "text": "xem", "quote_msg_id": "q9",
      "attachments": [{"type": "link", "payload": {"thumbnail": "t", "description": "Trang chủ",
                       "url": "https://example.vn"}}]})"));
  Json card = user_event("user_send_business_card", Json::parse(R"({"msg_id": "c1", "attachments": [{"type": "link",
      "payload": {"description": "{\"phone\":\"0912345678\",\"qrCodeUrl\":\"https://q\"}", "url": "https://z"}}]})"));
  Json audio = user_event("user_send_audio", Json::parse(R"({"msg_id": "a1", "attachments": [{"type": "audio",
      "payload": {"url": "https://v.zdn.vn/a.amr"}}]})"));
  Json video = user_event("user_send_video", Json::parse(R"({"msg_id": "v1", "attachments": [{"type": "video",
      "payload": {"url": "https://v.zdn.vn/v.mp4", "thumbnail": "https://v.zdn.vn/t.jpg", "description": "clip"}}]})"));
  Json gif = user_event("user_send_gif", Json::parse(R"({"msg_id": "g1", "attachments": [{"type": "gif",
      "payload": {"url": "https://v.zdn.vn/g.gif", "thumbnail": "https://v.zdn.vn/g.jpg"}}]})"));

  auto one = [&](const Json& event) {
    auto r = post(host, ch, event.dump());
    REQUIRE(r.http_status == 200);
    REQUIRE(r.submitted.size() == 1);
    CHECK(r.submitted[0]["type"] == "message");
    CHECK(r.submitted[0]["sender"]["id"] == kUser);
    return r.submitted[0];
  };
  Json e = one(image);
  CHECK(e["text"] == "hộp bị móp");
  CHECK(e["attachments"] == Json::parse(R"([{"type": "image", "url": "https://cdn.zalo.me/a.jpg", "name": "",
                                             "thumbnail": "https://cdn.zalo.me/t.jpg"}])"));
  e = one(file);
  CHECK(e["attachments"][0]["name"] == "bao-gia.pdf");
  CHECK(e["attachments"][0]["url"] == "https://f.zdn.vn/bao-gia.pdf");
  CHECK(e["attachments"][0]["extension"] == "pdf");
  CHECK(e["attachments"][0]["size"] == "52100");
  e = one(location);
  CHECK(e["location"]["latitude"].get<double>() == doctest::Approx(10.7769));
  CHECK(e["location"]["longitude"].get<double>() == doctest::Approx(106.7009));
  e = one(location_numbers);
  CHECK(e["location"]["latitude"].get<double>() == doctest::Approx(21.0285));
  e = one(sticker);
  CHECK(e["sticker"] == Json{{"id", "bfe458d1f694ffcaa685"}, {"url", "https://zalo-api.zadn.vn/s.png"}});
  e = one(link);
  CHECK(e["reply_to"] == "q9");
  CHECK(e["attachments"][0]["description"] == "Trang chủ");
  e = one(card);
  CHECK(e["business_card"]["phone"] == "0912345678");
  CHECK(one(audio)["attachments"][0]["type"] == "audio");
  CHECK(one(video)["attachments"][0]["thumbnail"] == "https://v.zdn.vn/t.jpg");
  CHECK(one(gif)["attachments"][0]["url"] == "https://v.zdn.vn/g.gif");
}

TEST_CASE("a human's reply typed in Zalo's OA tool is an agent message; our own API echoes are ignored") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  Json human = {{"event_name", "oa_send_text"},
                {"app_id", kAppId},
                {"sender", {{"admin_id", "2268360619345212892"}, {"id", kOaId}}},
                {"recipient", {{"id", kUser}}},
                {"message", {{"text", "chào nha"}, {"msg_id", "aea4279d6a69fe30a77f"}}},
                {"timestamp", "1790000000999"}};
  auto r = post(host, ch, human.dump());
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0]["type"] == "agent_message");
  CHECK(r.submitted[0]["id"] == "aea4279d6a69fe30a77f");
  CHECK(r.submitted[0]["sender"]["id"] == kUser);
  CHECK(r.submitted[0]["text"] == "chào nha");
  CHECK(r.submitted[0]["admin_id"] == "2268360619345212892");

  Json ours = human;
  ours["sender"].erase("admin_id");
  ours["message"]["msg_id"] = "api-1";
  auto echo = post(host, ch, ours.dump());
  CHECK(echo.http_status == 200);
  CHECK(echo.submitted.empty());
  CHECK(logged(host, "echo of an API send api-1"));
  for (const char* name : {"oa_send_image", "oa_send_gif", "oa_send_list", "oa_send_file", "oa_send_sticker"}) {
    Json other = human;
    other["event_name"] = name;
    other["message"]["msg_id"] = std::string("x-") + name;
    CHECK(post(host, ch, other.dump()).submitted.at(0)["type"] == "agent_message");
  }
}

TEST_CASE("delivery and seen receipts become receipt events with the message ids") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  Json received = user_event("user_received_message", {{"msg_id", "msg1"}});
  Json seen = user_event("user_seen_message", {{"msg_ids", {"msg1", "msg2"}}});
  auto r1 = post(host, ch, received.dump());
  REQUIRE(r1.submitted.size() == 1);
  CHECK(r1.submitted[0]["type"] == "receipt");
  CHECK(r1.submitted[0]["id"] == "user_received_message:msg1");
  CHECK(r1.submitted[0]["receipt"] == Json{{"status", "delivered"}, {"mids", {"msg1"}}});
  auto r2 = post(host, ch, seen.dump());
  REQUIRE(r2.submitted.size() == 1);
  CHECK(r2.submitted[0]["receipt"] == Json{{"status", "read"}, {"mids", {"msg1", "msg2"}}});
  CHECK(r2.submitted[0]["sender"]["id"] == kUser);
  // The OA as sender (direction undocumented): the user is the recipient.
  Json reversed = received;
  reversed["sender"] = {{"id", kOaId}};
  reversed["recipient"] = {{"id", kUser}};
  CHECK(post(host, ch, reversed.dump()).submitted.at(0)["sender"]["id"] == kUser);
}

TEST_CASE("a follow runs the pipeline; unfollow, chat-now and submitted info become contact updates") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  Json follow = {{"oa_id", kOaId},
                 {"follower", {{"id", kUser}}},
                 {"user_id_by_app", "7000000000000000001"},
                 {"event_name", "follow"},
                 {"source", "oa_profile"},
                 {"app_id", kAppId},
                 {"timestamp", "1790000000500"}};
  auto r = post(host, ch, follow.dump());
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0]["type"] == "follow");
  CHECK(r.submitted[0]["id"] == std::string("follow:") + kUser + ":1790000000500");
  CHECK(r.submitted[0]["interaction"] == true);
  CHECK(r.submitted[0]["sender"]["zalo_follower"] == true);
  CHECK(r.submitted[0]["sender"]["zalo_follow_source"] == "oa_profile");

  Json unfollow = follow;
  unfollow["event_name"] = "unfollow";
  r = post(host, ch, unfollow.dump());
  CHECK(r.submitted.at(0)["type"] == "contact_update");
  CHECK(r.submitted.at(0)["interaction"] == false);
  CHECK(r.submitted.at(0)["sender"]["zalo_follower"] == false);

  Json chatnow = {{"event_name", "user_click_chatnow"},
                  {"app_id", kAppId},
                  {"oa_id", kOaId},
                  {"user_id", kUser},
                  {"user_id_by_app", "7000000000000000001"},
                  {"timestamp", "1790000000600"}};
  r = post(host, ch, chatnow.dump());
  CHECK(r.submitted.at(0)["type"] == "contact_update");
  CHECK(r.submitted.at(0)["interaction"] == true);
  CHECK(r.submitted.at(0)["sender"]["id"] == kUser);

  Json info = Json::parse(R"({"sender": {"id": "8001234567890123456"}, "recipient": {"id": "5550001112223334445"},
    "event_name": "user_submit_info", "app_id": "1234567890123456789", "timestamp": "1790000000700",
    "info": {"name": "Trần Văn Bình", "phone": "84912345678", "user_dob": "30/10/1999", "gender": "Nam",
             "full_address": {"user_city": "Thành phố Hồ Chí Minh", "user_ward": "Phường Tân Thuận",
                              "user_address": "Đường số 13"}}})");
  r = post(host, ch, info.dump());
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0]["sender"]["name"] == "Trần Văn Bình");
  CHECK(r.submitted[0]["sender"]["phone"] == "84912345678");
  CHECK(r.submitted[0]["sender"]["zalo_info"]["full_address"]["user_city"] == "Thành phố Hồ Chí Minh");
  CHECK(r.submitted[0]["interaction"] == true);

  Json withdraw = {{"event_name", "user_withdraw"},
                   {"app_id", kAppId},
                   {"oa_id", kOaId},
                   {"user_id", kUser},
                   {"timestamp", "1790000000800"}};
  r = post(host, ch, withdraw.dump());
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0]["type"] == "contact_erase");
  CHECK(r.submitted[0]["sender"]["id"] == kUser);
  withdraw["oa_id"] = "another-oa";
  CHECK(post(host, ch, withdraw.dump()).submitted.empty());
}

TEST_CASE("unknown events, other OAs and reactions: acknowledged; only reactions are kept") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  for (const char* name : {"add_user_to_tag", "user_click_button", "anonymous_send_text", "user_send_group_text",
                           "change_template_status", "brand_new_event"}) {
    auto r = post(host, ch, user_event(name, {{"msg_id", "u"}}).dump());
    CHECK(r.http_status == 200);
    CHECK(r.submitted.empty());
  }
  CHECK(logged(host, "event 'brand_new_event' is not handled"));
  Json elsewhere = user_event("user_send_text", {{"text", "hi"}, {"msg_id", "o1"}});
  elsewhere["recipient"]["id"] = "9999";
  auto r = post(host, ch, elsewhere.dump());
  CHECK(r.http_status == 200);
  CHECK(r.submitted.empty());
  auto reacted =
      post(host, ch, user_event("user_reacted_message", {{"msg_id", "msg1"}, {"react_icon", "/-heart"}}).dump());
  REQUIRE(reacted.submitted.size() == 1);
  CHECK(reacted.submitted[0]["type"] == "reaction");
  CHECK(reacted.submitted[0]["reaction"] == Json{{"mid", "msg1"}, {"emoji", "/-heart"}});
}

TEST_CASE("a redelivered event (num_retry) yields the same id, so the host stores it once") {
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config());
  std::string body = user_event("user_send_text", {{"text", "a"}, {"msg_id", "dup1"}}).dump();
  auto first = post(host, ch, body);
  Json headers = signed_headers(body);
  headers["num_retry"] = "1";
  auto again = host.http(ch, "POST", body, headers);
  CHECK(first.submitted.at(0)["id"] == "dup1");
  CHECK(again.submitted.at(0)["id"] == "dup1");
  Json follow = {{"oa_id", kOaId},
                 {"follower", {{"id", kUser}}},
                 {"event_name", "follow"},
                 {"app_id", kAppId},
                 {"timestamp", "1790000000500"}};
  CHECK(post(host, ch, follow.dump()).submitted.at(0)["id"] == post(host, ch, follow.dump()).submitted.at(0)["id"]);
}

// ---------------------------------------------------------------- outbound

TEST_CASE("a reply is sent NFC-normalised to message/cs with the access_token header") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  auto ch = host.create(config(zalo.base()));
  std::string nfd = "Xin cha\xCC\x80o ba\xCC\xA3n";  // "Xin chào bạn" decomposed
  Json out = outbound(nfd, kHour);
  out["quote_message_id"] = "a1b2c3";
  out["quick_replies"] = {"Đặt lịch", Json{{"title", "Giá"}, {"payload", "#gia"}}};
  out["attachments"] = {{{"type", "image"}, {"url", "https://example.vn/a.jpg"}}};
  auto r = host.send(ch, out);
  CHECK(r.status == SB_OK);
  CHECK(r.result["message_id"] == "msg2");
  auto sent = zalo.sent();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0]["recipient"] == Json{{"user_id", kUser}});
  CHECK(sent[0]["message"]["text"] == "Xin chào bạn");
  CHECK(sent[0]["message"]["text"] != nfd);
  CHECK(sent[0]["message"]["quote_message_id"] == "a1b2c3");
  CHECK(sent[0]["message"]["attachment"]["payload"]["buttons"] ==
        Json::parse(R"([{"title": "Đặt lịch", "type": "oa.query.show", "payload": "Đặt lịch"},
                        {"title": "Giá", "type": "oa.query.show", "payload": "#gia"}])"));
  CHECK(sent[1]["message"]["attachment"] == Json::parse(R"({"type": "template", "payload": {"template_type": "media",
                        "elements": [{"media_type": "image", "url": "https://example.vn/a.jpg"}]}})"));
  CHECK(zalo.tokens_used() == std::vector<std::string>{"access-0", "access-0"});
}

TEST_CASE("texts over 2000 characters are split on word boundaries") {
  std::string word = "khám";  // 4 code points, 5 bytes
  std::string text;
  for (int i = 0; i < 900; ++i) text += word + " ";  // 4500 code points
  auto pieces = zalo::split_text(text, 2000);
  REQUIRE(pieces.size() == 3);
  std::string joined;
  for (const auto& p : pieces) {
    std::size_t chars = 0;
    for (char c : p) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    CHECK(chars <= 2000);
    CHECK(p.front() != ' ');
    CHECK(p.back() != ' ');
    CHECK(p.substr(p.size() - word.size()) == word);  // no word cut in half
    joined += p + " ";
  }
  CHECK(joined == text);
  CHECK(zalo::split_text("ngắn", 2000) == std::vector<std::string>{"ngắn"});
  CHECK(zalo::split_text(std::string(2500, 'a'), 2000).size() == 2);  // one long word: cut anyway

  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  auto ch = host.create(config(zalo.base()));
  auto r = host.send(ch, outbound(text, kHour));
  CHECK(r.status == SB_OK);
  CHECK(zalo.sent().size() == 3);
  CHECK(r.result["message_ids"] == Json{"msg1", "msg2", "msg3"});
}

TEST_CASE("a failure in the middle of a split text resumes after the pieces already sent") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(zalo.base()));
  std::string text = std::string(1500, 'a') + " " + std::string(1500, 'b');
  zalo.fail_after(1, -32, "Your application reached limit call api");
  auto first = host.send(ch, outbound(text, kHour, "77"));
  CHECK(first.status == SB_ERR_RETRY);
  CHECK(first.result["code"] == "-32");
  CHECK(first.result["retry_after_ms"] == 60000);
  REQUIRE(zalo.sent().size() == 1);
  CHECK(host.kv().count("send:77") == 1);

  auto second = host.send(ch, outbound(text, kHour, "77"));
  CHECK(second.status == SB_OK);
  auto sent = zalo.sent();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0]["message"]["text"] == std::string(1500, 'a'));
  CHECK(sent[1]["message"]["text"] == std::string(1500, 'b'));
  CHECK(second.result["message_ids"] == Json{"msg1", "msg2"});
  CHECK(host.kv().count("send:77") == 0);
}

TEST_CASE("each outbound error class: permanent with code and message, retry with a delay") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(zalo.base()));
  struct Case {
    int error;
    const char* message;
    sb_status status;
  };
  for (Case c :
       {Case{-213, "User has not followed OA", SB_ERR_PERMANENT},
        Case{-230, "User has not interacted with the OA in the past 7 days", SB_ERR_PERMANENT},
        Case{-232, "User has not interacted with the OA, or the last interaction has expired", SB_ERR_PERMANENT},
        Case{-227, "User is banned or has been inactive for more than 45 days", SB_ERR_PERMANENT},
        Case{-217, "User has blocked invitation from OA", SB_ERR_PERMANENT},
        Case{-201, "user_id is invalid!", SB_ERR_PERMANENT},
        Case{-224, "The OA needs to upgrade OA Tier Package to use this feature", SB_ERR_PERMANENT},
        Case{-32, "Your OA reached limit call api", SB_ERR_RETRY}, Case{-200, "Send message failed", SB_ERR_RETRY},
        Case{-218, "Out of quota receive", SB_ERR_RETRY},
        Case{-234, "This message cannot be sent at night (10:00PM - 6:00AM)", SB_ERR_RETRY}}) {
    CAPTURE(c.error);
    zalo.fail_next(c.error, c.message);
    auto r = host.send(ch, outbound("chào", kHour));
    CHECK(r.status == c.status);
    CHECK(r.result["code"] == std::to_string(c.error));
    CHECK(r.result["message"] == c.message);
    CHECK(r.error.find(c.message) != std::string::npos);
    if (c.status == SB_ERR_RETRY) CHECK(r.result["retry_after_ms"].get<int64_t>() > 0);
  }
  CHECK(logged(host, "alert: Zalo error -224"));
  zalo.fail_http_next(503);
  auto r = host.send(ch, outbound("chào", kHour));
  CHECK(r.status == SB_ERR_RETRY);
  CHECK(r.result["code"] == "503");
  zalo.fail_http_next(404);
  CHECK(host.send(ch, outbound("chào", kHour)).status == SB_ERR_PERMANENT);
  CHECK(zalo.sent().empty());

  auto down = host.create(config("http://127.0.0.1:9"));
  auto unreachable = host.send(down, outbound("chào", kHour));
  CHECK(unreachable.status == SB_ERR_RETRY);
  CHECK(unreachable.result["code"] == "no_response");
}

TEST_CASE("the night ban (-234) is retried at 06:00 Vietnam time") {
  // 23:30 in Hanoi = 16:30 UTC; 06:00 is 6.5 h later.
  int64_t utc_1630 = 1795278600000;  // 2026-11-21T16:30:00Z
  CHECK(zalo::ms_until_morning_vn(utc_1630) == 6 * 3600 * 1000 + 30 * 60 * 1000);
  // 10:30 in Hanoi: 19.5 h to the next morning.
  CHECK(zalo::ms_until_morning_vn(utc_1630 - 13 * 3600 * 1000) == 19 * 3600 * 1000 + 30 * 60 * 1000);
}

// ---------------------------------------------------------------- tokens

TEST_CASE("a refused access token is refreshed once, persisted before use, and the send retried") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(zalo.base()));
  zalo.revoke_access();
  auto r = host.send(ch, outbound("chào", kHour));
  CHECK(r.status == SB_OK);
  CHECK(zalo.refresh_calls == 1);
  CHECK(zalo.tokens_used() == std::vector<std::string>{"access-0", "access-1"});
  Json stored = Json::parse(host.kv().at("oauth_tokens"));
  CHECK(stored["access_token"] == "access-1");
  CHECK(stored["refresh_token"] == "refresh-1");
  CHECK(stored["generation"] == 1);
  CHECK(stored["expires_at"].get<int64_t>() > now_ms() + 24 * kHour);

  // Refused again after the refresh: no second refresh, a retry later.
  zalo.fail_next(-216, "Access token is invalid");
  zalo.fail_next(-216, "Access token is invalid");
  auto again = host.send(ch, outbound("chào", kHour));
  CHECK(again.status == SB_ERR_RETRY);
  CHECK(again.result["code"] == "-216");
  CHECK(zalo.refresh_calls == 2);
}

TEST_CASE("concurrent sends during a refresh cause exactly one refresh call") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(zalo.base()));
  zalo.revoke_access();
  zalo.refresh_delay_ms = 200;  // every sender sees -216 while the first refresh is in flight
  std::vector<std::thread> senders;
  std::vector<sb_status> results(8, SB_ERR_FAILED);
  for (int i = 0; i < 8; ++i) {
    senders.emplace_back([&, i] { results[i] = host.send(ch, outbound("chào " + std::to_string(i), kHour)).status; });
  }
  for (auto& t : senders) t.join();
  for (sb_status s : results) CHECK(s == SB_OK);
  CHECK(zalo.refresh_calls == 1);
  CHECK(zalo.refused_refreshes == 0);
  CHECK(zalo.sent().size() == 8);
  CHECK(Json::parse(host.kv().at("oauth_tokens"))["refresh_token"] == "refresh-1");
}

TEST_CASE("after a restart the rotated pair is used, not the stale one from the config") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);  // its kv is shared by instances: a restart
  {
    auto ch = host.create(config(zalo.base()));
    zalo.revoke_access();
    REQUIRE(host.send(ch, outbound("trước", kHour)).status == SB_OK);
    REQUIRE(zalo.refresh_calls == 1);
  }
  auto restarted = host.create(config(zalo.base()));  // the config still says access-0 / refresh-0
  CHECK(host.send(restarted, outbound("sau", kHour)).status == SB_OK);
  CHECK(zalo.tokens_used().back() == "access-1");
  CHECK(zalo.refresh_calls == 1);
  // A refresh now spends refresh-1 (the config's refresh-0 was already spent).
  zalo.revoke_access();
  CHECK(host.send(restarted, outbound("nữa", kHour)).status == SB_OK);
  CHECK(zalo.refresh_calls == 2);
  CHECK(zalo.refused_refreshes == 0);

  // An operator who re-consented puts a new pair in the config: that one wins.
  auto reconsented = host.create(config(zalo.base(), zalo.access(), zalo.refresh_token()));
  CHECK(host.send(reconsented, outbound("mới", kHour)).status == SB_OK);
  CHECK(Json::parse(host.kv().at("oauth_tokens"))["generation"] == 0);
}

TEST_CASE("a token close to expiry is refreshed before it is used") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  {
    auto seed = host.create(config(zalo.base()));  // stores the config pair with its seed
  }
  Json stored = Json::parse(host.kv().at("oauth_tokens"));
  stored["expires_at"] = now_ms() + 60 * 1000;  // one minute left, inside refresh_ahead
  host.kv_put("oauth_tokens", stored.dump());
  auto ch = host.create(config(zalo.base()));
  CHECK(host.send(ch, outbound("chào", kHour)).status == SB_OK);
  CHECK(zalo.refresh_calls == 1);
  CHECK(zalo.tokens_used() == std::vector<std::string>{"access-1"});
}

TEST_CASE("a refused refresh token dead-letters with an alert; a down OAuth server is retried") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(zalo.base(), "access-0", "refresh-stale"));
  zalo.revoke_access();
  auto r = host.send(ch, outbound("chào", kHour));
  CHECK(r.status == SB_ERR_PERMANENT);
  CHECK(r.error.find("token refresh refused") != std::string::npos);
  CHECK(logged(host, "alert: Zalo refused the refresh token"));

  Json cfg = config(zalo.base());
  cfg["oauth_base"] = "http://127.0.0.1:9";
  FakeHost other(sb_plugin_entry_v1);
  auto down = other.create(cfg);
  CHECK(other.send(down, outbound("chào", kHour)).status == SB_ERR_RETRY);
}

// ---------------------------------------------------------------- window

TEST_CASE("may_send: refused after 7 days or without interaction; billable between 48 h and 7 days") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  auto ch = host.create(config(zalo.base()));
  Json fresh_out = outbound("a", kHour);
  auto fresh = host.may_send(ch, fresh_out);
  CHECK(fresh.status == SB_OK);
  CHECK(fresh.result.value("billable", false) == false);
  // The window's ends, for the web inbox's "còn 47 giờ" line: 48 h free, 7 days in all.
  int64_t last = fresh_out["last_inbound_at"].get<int64_t>();
  CHECK(fresh.result["free_until"].get<int64_t>() == last + 48 * kHour);
  CHECK(fresh.result["closes_at"].get<int64_t>() == last + 7 * 24 * kHour);

  auto billable = host.may_send(ch, outbound("a", 3 * 24 * kHour));
  CHECK(billable.status == SB_OK);
  CHECK(billable.result["billable"] == true);

  auto closed = host.may_send(ch, outbound("a", 7 * 24 * kHour + kHour));
  CHECK(closed.status == SB_ERR_PERMANENT);
  CHECK(closed.result["code"] == "window_closed");
  CHECK(closed.error.find("7 days") != std::string::npos);

  Json never = outbound("a", 0);
  never["last_inbound_at"] = 0;
  auto none = host.may_send(ch, never);
  CHECK(none.status == SB_ERR_PERMANENT);
  CHECK(none.result["code"] == "no_interaction");

  CHECK(host.send(ch, outbound("a", 8 * 24 * kHour)).status == SB_ERR_PERMANENT);
  CHECK(zalo.sent().empty());  // nothing reached Zalo

  Json cfg = config(zalo.base());
  cfg["window_days"] = 10;
  cfg["free_window_hours"] = 24;
  auto wide = host.create(cfg);
  CHECK(host.may_send(wide, outbound("a", 8 * 24 * kHour)).status == SB_OK);
  CHECK(host.may_send(wide, outbound("a", 30 * kHour)).result["billable"] == true);
}

// ---------------------------------------------------------------- profile

TEST_CASE("a new user's profile is fetched once in the background and submitted as a contact update") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  Json cfg = config(zalo.base());
  cfg["fetch_profile"] = true;
  {
    auto ch = host.create(cfg);
    auto r = post(host, ch, user_event("user_send_text", {{"text", "a"}, {"msg_id", "p1"}}).dump());
    CHECK(r.submitted.size() == 1);  // the message itself never waits for the profile
    REQUIRE(eventually([&] { return host.submitted().size() == 1; }));
    Json update = host.submitted()[0];
    CHECK(update["type"] == "contact_update");
    CHECK(update["id"] == std::string("profile:") + kUser);
    CHECK(update["fill_only"] == true);
    CHECK(update["interaction"] == false);
    CHECK(update["sender"] == Json{{"id", kUser},
                                   {"name", "Nguyễn Thị Lan"},
                                   {"avatar", "https://s120-ava-talk.zadn.vn/a.jpg"},
                                   {"zalo_follower", true}});
    CHECK(zalo.last_detail_user == kUser);
    post(host, ch, user_event("user_send_text", {{"text", "b"}, {"msg_id", "p2"}}).dump());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(zalo.detail_calls == 1);
  }
  auto restarted = host.create(cfg);
  post(host, restarted, user_event("user_send_text", {{"text", "c"}, {"msg_id", "p3"}}).dump());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(zalo.detail_calls == 1);  // the kv marker survived the restart
}

TEST_CASE("a failing profile fetch never blocks the message and is tried again later") {
  ZaloStandIn zalo(kAppId, kAppSecret, "access-0", "refresh-0");
  FakeHost host(sb_plugin_entry_v1);
  Json cfg = config(zalo.base());
  cfg["fetch_profile"] = true;
  auto ch = host.create(cfg);
  zalo.detail_fails = true;
  auto r = post(host, ch, user_event("user_send_text", {{"text", "a"}, {"msg_id", "q1"}}).dump());
  CHECK(r.http_status == 200);
  CHECK(r.submitted.size() == 1);
  REQUIRE(eventually([&] { return logged(host, "profile of user"); }));
  CHECK(host.submitted().empty());
  zalo.detail_fails = false;
  post(host, ch, user_event("user_send_text", {{"text", "b"}, {"msg_id", "q2"}}).dump());
  CHECK(eventually([&] { return host.submitted().size() == 1; }));
  CHECK(zalo.detail_calls == 2);
}
