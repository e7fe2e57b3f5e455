// The api channel through FakeHost: signatures, validation, and delivery to a
// real callback receiver (cpp-httplib on loopback).
#include <doctest/doctest.h>
#include <httplib.h>
#include <switchboard/plugins/signature.hpp>
#include <switchboard/testing/fake_host.hpp>

#include <atomic>
#include <thread>

using switchboard::plugins::hmac_sha256_hex;
using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

namespace {

const char* kSecret = "test-secret-123";

Json signed_headers(const std::string& body) {
  return {{"x-switchboard-signature", "sha256=" + hmac_sha256_hex(kSecret, body)}};
}

// A callback receiver answering with a scripted status.
class Receiver {
 public:
  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      last_body = req.body;
      last_signature = req.get_header_value("X-Switchboard-Signature");
      ++hits;
      res.status = status.load();
      if (res.status == 429) res.set_header("Retry-After", "7");
      res.set_content("{\"error\":\"scripted\"}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  std::atomic<int> status{200};
  std::atomic<int> hits{0};
  std::string last_body;
  std::string last_signature;

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

Json outbound() {
  return {{"idempotency_key", "42"}, {"in_reply_to", "m1"}, {"recipient", {{"id", "u1"}}}, {"text", "Chào bạn"}};
}

}  // namespace

TEST_CASE("a signed message becomes one inbound event") {
  FakeHost host(sb_plugin_entry_v1);
  auto api = host.create({{"secret", kSecret}});
  std::string body = R"({"message_id":"m1","user":{"id":"u1","name":"Lan","phone":"0901234567"},"text":"đặt lịch"})";
  auto r = host.http(api, "POST", body, signed_headers(body));
  CHECK(r.status == SB_OK);
  CHECK_FALSE(r.http_status);  // the host answers 200 after commit
  REQUIRE(r.submitted.size() == 1);
  CHECK(r.submitted[0] == Json{{"id", "m1"},
                               {"type", "message"},
                               {"sender", {{"id", "u1"}, {"name", "Lan"}, {"phone", "0901234567"}}},
                               {"text", "đặt lịch"}});
}

TEST_CASE("a wrong or missing signature is 401 and nothing is submitted") {
  FakeHost host(sb_plugin_entry_v1);
  auto api = host.create({{"secret", kSecret}});
  std::string body = R"({"message_id":"m1","user":{"id":"u1"},"text":"hi"})";
  for (Json headers : {Json::object(), Json{{"x-switchboard-signature", "sha256=" + std::string(64, '0')}},
                       Json{{"x-switchboard-signature", hmac_sha256_hex(kSecret, body)}}, signed_headers(body + " ")}) {
    auto r = host.http(api, "POST", body, headers);
    CHECK(r.http_status == 401);
    CHECK(r.submitted.empty());
  }
}

TEST_CASE("the signature compare accepts upper-case hex") {
  FakeHost host(sb_plugin_entry_v1);
  auto api = host.create({{"secret", kSecret}});
  std::string body = R"({"message_id":"m1","user":{"id":"u1"},"text":"hi"})";
  std::string hex = hmac_sha256_hex(kSecret, body);
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto r = host.http(api, "POST", body, {{"x-switchboard-signature", "sha256=" + hex}});
  CHECK(r.submitted.size() == 1);
}

TEST_CASE("malformed or incomplete messages are 400 with the reason") {
  FakeHost host(sb_plugin_entry_v1);
  auto api = host.create({{"secret", kSecret}});
  std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "body is not a JSON object"},
      {R"({"user":{"id":"u"},"text":"x"})", "message_id: required non-empty string"},
      {R"({"message_id":"m","text":"x"})", "user: required object"},
      {R"({"message_id":"m","user":{"id":7},"text":"x"})", "user.id: required non-empty string"},
      {R"({"message_id":"m","user":{"id":"u"}})", "text: required string"},
  };
  for (const auto& [body, reason] : cases) {
    auto r = host.http(api, "POST", body, signed_headers(body));
    CHECK(r.http_status == 400);
    CHECK(Json::parse(r.http_body)["error"] == reason);
    CHECK(r.submitted.empty());
  }
  CHECK(host.http(api, "GET", "", {}).http_status == 405);
}

TEST_CASE("replies are POSTed to the callback, signed") {
  Receiver receiver;
  FakeHost host(sb_plugin_entry_v1);
  auto api = host.create({{"secret", kSecret}, {"callback_url", receiver.url()}});
  auto r = host.send(api, outbound());
  CHECK(r.status == SB_OK);
  REQUIRE(receiver.hits == 1);
  CHECK(Json::parse(receiver.last_body) ==
        Json{{"id", "42"}, {"in_reply_to", "m1"}, {"user_id", "u1"}, {"text", "Chào bạn"}});
  CHECK(receiver.last_signature == "sha256=" + hmac_sha256_hex(kSecret, receiver.last_body));
}

TEST_CASE("429 and 5xx are transient, with Retry-After; other 4xx are permanent") {
  Receiver receiver;
  FakeHost host(sb_plugin_entry_v1);
  auto api = host.create({{"secret", kSecret}, {"callback_url", receiver.url()}});
  receiver.status = 429;
  auto limited = host.send(api, outbound());
  CHECK(limited.status == SB_ERR_RETRY);
  CHECK(limited.result["retry_after_ms"] == 7000);
  receiver.status = 503;
  CHECK(host.send(api, outbound()).status == SB_ERR_RETRY);
  receiver.status = 400;
  auto refused = host.send(api, outbound());
  CHECK(refused.status == SB_ERR_PERMANENT);
  CHECK(refused.result["code"] == "400");
  CHECK(refused.error.find("callback refused: HTTP 400") != std::string::npos);
}

TEST_CASE("an unreachable callback is transient") {
  FakeHost host(sb_plugin_entry_v1);
  // Port 9 on loopback: nothing listens, the connection is refused at once.
  auto api = host.create({{"secret", kSecret}, {"callback_url", "http://127.0.0.1:9/hook"}});
  auto r = host.send(api, outbound());
  CHECK(r.status == SB_ERR_RETRY);
  CHECK(r.error.find("callback failed") != std::string::npos);
}

TEST_CASE("config: short secret, bad callback URL, and no callback are refused or dead-lettered") {
  FakeHost host(sb_plugin_entry_v1);
  CHECK_THROWS_WITH_AS(host.create({{"secret", "short"}}), "create failed: secret: use at least 8 characters",
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"secret", kSecret}, {"callback_url", "ftp://x"}}),
                       "create failed: callback_url: not an http(s) URL", std::runtime_error);
  auto api = host.create({{"secret", kSecret}});
  auto r = host.send(api, outbound());
  CHECK(r.status == SB_ERR_PERMANENT);
  CHECK(r.error == "no callback_url configured for this inbox");
}
