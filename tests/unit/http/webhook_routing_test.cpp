// Webhook routing on a real server: what reaches the WebhookHandler (exact
// bytes, headers, sub-path, query) and what the server refuses by itself.
#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "http_test_support.hpp"

namespace switchboard::http {
namespace {

using testing::error_of;
using testing::raw_exchange;
using testing::TestServer;

// Polls `done` until it holds or two seconds pass: some effects (the response
// counter) happen just after the client has its answer.
template <typename Predicate>
bool eventually(Predicate done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

std::string random_bytes(std::size_t size) {
  std::mt19937 generator(42);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(byte(generator));
  return out;
}

TEST_CASE("a webhook POST reaches the handler with raw body, lower-cased headers, sub-path and query") {
  TestServer test;
  test.handler.respond = [](const WebhookRequest&) {
    return WebhookResponse{202, "application/json", R"({"ok":true})"};
  };
  std::string body;
  for (int i = 0; i < 256; ++i) body += static_cast<char>(i);
  body += "\xff\xfe\xc3(";  // not UTF-8
  httplib::Headers headers = {
      {"X-Switchboard-Signature", "sha256=abc"}, {"X-Multi", "one"}, {"X-Multi", "two"}, {"x-mixed-CASE", "v"}};

  auto result = test.client().Post("/webhooks/demo/verify/a?hub.mode=subscribe&hub.challenge=123&x=%20y", headers, body,
                                   "application/octet-stream");

  REQUIRE(result);
  CHECK(result->status == 202);
  CHECK(result->body == R"({"ok":true})");
  CHECK(result->get_header_value("Content-Type") == "application/json");
  auto received = test.handler.received();
  REQUIRE(received.size() == 1);
  const WebhookRequest& request = received[0];
  CHECK(request.inbox == "demo");
  CHECK(request.method == "POST");
  CHECK(request.path == "/verify/a");
  CHECK(request.query == "hub.mode=subscribe&hub.challenge=123&x=%20y");
  CHECK(request.body == body);
  CHECK(request.remote_addr == "127.0.0.1");
  auto got = nlohmann::json::parse(request.headers_json);
  CHECK(got["x-switchboard-signature"] == "sha256=abc");
  CHECK(got["x-multi"] == "one, two");
  CHECK(got["x-mixed-case"] == "v");
  CHECK(got["content-type"] == "application/octet-stream");
  CHECK(got["content-length"] == std::to_string(body.size()));
  for (const auto& item : got.items()) {
    std::string name = item.key();
    CHECK_MESSAGE(name.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos, name);
    CHECK_MESSAGE(name.find('_') == std::string::npos, "httplib pseudo-header leaked: " << name);
  }
}

TEST_CASE("a webhook GET (platform handshake) reaches the handler with its query and an empty body") {
  TestServer test;
  test.handler.respond = [](const WebhookRequest& request) {
    return WebhookResponse{200, "text/plain", request.query};
  };

  auto result = test.client().Get("/webhooks/fb-page_1?hub.mode=subscribe&hub.challenge=987");

  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->body == "hub.mode=subscribe&hub.challenge=987");
  auto received = test.handler.received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].inbox == "fb-page_1");
  CHECK(received[0].method == "GET");
  CHECK(received[0].path == "");
  CHECK(received[0].body == "");
}

TEST_CASE("a 900 KiB body arrives byte for byte") {
  TestServer test;
  std::string body = random_bytes(900 * 1024);

  auto result = test.client().Post("/webhooks/demo", body, "application/octet-stream");

  REQUIRE(result);
  CHECK(result->status == 200);
  auto received = test.handler.received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].body.size() == body.size());
  CHECK(received[0].body == body);
}

TEST_CASE("a body over max_body_bytes is refused with 413 and never reaches the handler") {
  TestServer test;  // default limit: 1 MiB
  auto client = test.client();
  client.set_keep_alive(true);

  auto at_limit = client.Post("/webhooks/demo", std::string(1024 * 1024, 'a'), "application/json");
  auto over_limit = client.Post("/webhooks/demo", std::string(1024 * 1024 + 1, 'a'), "application/json");

  REQUIRE(at_limit);
  CHECK(at_limit->status == 200);
  REQUIRE(over_limit);
  CHECK(over_limit->status == 413);
  CHECK(error_of(over_limit).find("1048576") != std::string::npos);
  CHECK(test.handler.received().size() == 1);
  CHECK(eventually([&] { return test.responses(413) == 1; }));

  auto after = client.Post("/webhooks/demo", "{}", "application/json");
  REQUIRE(after);
  CHECK(after->status == 200);
}

TEST_CASE("chunked bodies are read raw and held to the same limit, on a connection that stays usable") {
  HttpServerOptions options;
  options.max_body_bytes = 1000;
  TestServer test(options);
  auto chunked = [](std::string body) {
    return [body](std::size_t, httplib::DataSink& sink) {
      for (std::size_t at = 0; at < body.size(); at += 300) {
        sink.write(body.data() + at, std::min<std::size_t>(300, body.size() - at));
      }
      sink.done();
      return true;
    };
  };
  std::string fits = random_bytes(1000);
  auto client = test.client();
  client.set_keep_alive(true);

  auto accepted = client.Post("/webhooks/demo", chunked(fits), "application/octet-stream");
  auto refused = client.Post("/webhooks/demo", chunked(std::string(1500, 'x')), "application/octet-stream");
  auto after = client.Post("/webhooks/demo", "{}", "application/json");

  REQUIRE(accepted);
  CHECK(accepted->status == 200);
  REQUIRE(refused);
  CHECK(refused->status == 413);
  CHECK(error_of(refused).find("1000 bytes") != std::string::npos);
  REQUIRE(after);
  CHECK(after->status == 200);
  auto received = test.handler.received();
  REQUIRE(received.size() == 2);
  CHECK(received[0].body == fits);
  CHECK(received[1].body == "{}");
  CHECK(test.responses(400) == 0);
}

TEST_CASE("a chunked body far over the limit is cut off with 413 and Connection: close") {
  HttpServerOptions options;
  options.max_body_bytes = 1000;
  TestServer test(options);
  std::string request = "POST /webhooks/demo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) request += "12c\r\n" + std::string(300, 'x') + "\r\n";
  request += "0\r\n\r\n";

  std::string response = raw_exchange(test.server.port(), request, 300);

  CHECK(response.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(response.find("Connection: close\r\n") != std::string::npos);
  CHECK(test.handler.received().empty());
}

TEST_CASE("form-encoded bodies arrive raw at any size up to the limit; multipart is refused with 415") {
  TestServer test;
  std::string form = "payload=" + std::string(20000, 'z') + "&sig=a%2Bb";

  auto form_result = test.client().Post("/webhooks/demo", form, "application/x-www-form-urlencoded");
  auto multipart = test.client().Post("/webhooks/demo", httplib::MultipartFormDataItems{{"text", "hello", "", ""}});

  REQUIRE(form_result);
  CHECK(form_result->status == 200);
  REQUIRE(multipart);
  CHECK(multipart->status == 415);
  CHECK(error_of(multipart).find("multipart") != std::string::npos);
  auto received = test.handler.received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].body == form);
}

TEST_CASE("invalid inbox ids and unknown paths are 404 with a JSON error, and nothing reaches the handler") {
  TestServer test;
  const std::string too_long = std::string(65, 'a');
  for (const std::string& path : std::vector<std::string>{
           "/webhooks/Demo", "/webhooks/-demo", "/webhooks/_demo", "/webhooks/", "/webhooks/a.b",
           "/webhooks/" + too_long, "/webhooks/d%C3%A9mo", "/webhooks/%2e%2e", "/webhooks", "/nope", "/"}) {
    CAPTURE(path);
    auto post = test.client().Post(path, "{}", "application/json");
    REQUIRE(post);
    CHECK(post->status == 404);
    CHECK(!error_of(post).empty());
    auto get = test.client().Get(path);
    REQUIRE(get);
    CHECK(get->status == 404);
    CHECK(!error_of(get).empty());
  }
  CHECK(test.handler.received().empty());

  for (const std::string& path :
       std::vector<std::string>{"/webhooks/" + std::string(64, 'a'), "/webhooks/0-a_b", "/webhooks/demo/"}) {
    CAPTURE(path);
    auto result = test.client().Post(path, "{}", "application/json");
    REQUIRE(result);
    CHECK(result->status == 200);
  }
  CHECK(test.handler.received().size() == 3);
}

TEST_CASE("other methods on /webhooks are 405 with Allow: GET, POST") {
  TestServer test;
  auto client = test.client();

  auto put = client.Put("/webhooks/demo", "{}", "application/json");
  auto patch = client.Patch("/webhooks/demo", "{}", "application/json");
  auto del = client.Delete("/webhooks/demo");
  auto options = client.Options("/webhooks/demo");
  auto head = client.Head("/webhooks/demo");

  for (auto* result : {&put, &patch, &del, &options}) {
    REQUIRE(*result);
    CHECK((*result)->status == 405);
    CHECK((*result)->get_header_value("Allow") == "GET, POST");
    CHECK(error_of(*result).find("method") != std::string::npos);
  }
  REQUIRE(head);
  CHECK(head->status == 405);
  CHECK(test.handler.received().empty());
}

TEST_CASE("the handler's own error responses pass through untouched") {
  TestServer test;
  test.handler.respond = [](const WebhookRequest&) { return WebhookResponse{401, "text/plain", "bad signature"}; };

  auto result = test.client().Post("/webhooks/demo", "{}", "application/json");

  REQUIRE(result);
  CHECK(result->status == 401);
  CHECK(result->body == "bad signature");
  CHECK(result->get_header_value("Content-Type") == "text/plain");
}

TEST_CASE("a throwing handler gets a 500 JSON error without its message, and the server keeps serving") {
  TestServer test;
  int calls = 0;
  test.handler.respond = [&calls](const WebhookRequest&) -> WebhookResponse {
    ++calls;
    if (calls == 1) throw std::runtime_error("secret database detail");
    if (calls == 2) throw 42;
    if (calls == 3) return WebhookResponse{42, "", ""};
    return WebhookResponse{};
  };
  auto client = test.client();
  client.set_keep_alive(true);

  for (int i = 0; i < 3; ++i) {
    auto failed = client.Post("/webhooks/demo", "{}", "application/json");
    REQUIRE(failed);
    CHECK(failed->status == 500);
    CHECK(error_of(failed) == "internal error");
    CHECK(failed->body.find("secret") == std::string::npos);
  }
  auto next = client.Post("/webhooks/demo", "{}", "application/json");
  REQUIRE(next);
  CHECK(next->status == 200);
  CHECK(next->get_header_value("Content-Type") == "text/plain; charset=utf-8");
}

TEST_CASE("an unparsable request gets a 400 JSON error and is counted") {
  TestServer test;

  std::string response = raw_exchange(test.server.port(), "NONSENSE\r\n\r\n", 300);

  CHECK(response.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(response.find("application/json") != std::string::npos);
  CHECK(response.find(R"({"error":"malformed request"})") != std::string::npos);
  CHECK(eventually([&] { return test.responses(400) == 1; }));
}

TEST_CASE("header values that are not UTF-8 are repaired so the header object always serialises") {
  TestServer test;

  std::string response = raw_exchange(test.server.port(),
                                      "POST /webhooks/demo HTTP/1.1\r\nHost: x\r\nX-Latin: caf\xe9\r\n"
                                      "Content-Length: 2\r\nConnection: close\r\n\r\n{}");

  CHECK(response.rfind("HTTP/1.1 200", 0) == 0);
  auto received = test.handler.received();
  REQUIRE(received.size() == 1);
  auto headers = nlohmann::json::parse(received[0].headers_json);  // throws if not valid JSON / UTF-8
  CHECK(headers["x-latin"] == "caf\xEF\xBF\xBD");
}

TEST_CASE("every response is counted by status code and webhook latency is observed") {
  TestServer test;
  auto client = test.client();

  client.Post("/webhooks/demo", "{}", "application/json");
  client.Post("/webhooks/demo", "{}", "application/json");
  client.Get("/webhooks/BAD");
  client.Put("/webhooks/demo", "{}", "application/json");

  CHECK(eventually([&] { return test.responses(200) == 2; }));
  CHECK(eventually([&] { return test.responses(404) == 1; }));
  CHECK(eventually([&] { return test.responses(405) == 1; }));
  CHECK(test.metrics.webhook_seconds.snapshot().count == 3);  // PUT is refused before webhook routing
}

}  // namespace
}  // namespace switchboard::http
