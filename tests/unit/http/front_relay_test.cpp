// The front and the route server behind it: installed (httplib) routes are
// reached through the relay, a connection may switch to the relay mid-way
// and keeps working, asynchronous handlers answer from another thread, and
// clients that wait for "100 Continue" get it.
#include <doctest/doctest.h>

#include <httplib.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "http_test_support.hpp"

namespace switchboard::http {
namespace {

using testing::raw_exchange;
using testing::TestServer;

HttpServerOptions with_ping_route() {
  HttpServerOptions options;
  options.routes.push_back([](httplib::Server& server) {
    server.Get("/api/v1/ping", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("pong " + req.get_header_value("X-Tag"), "text/plain");
    });
    server.Post("/api/v1/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.body, "application/octet-stream");
    });
  });
  return options;
}

// A text/plain POST to `target` as raw bytes, closing the connection after
// it when `close`.
std::string raw_post(const std::string& target, const std::string& body, bool close) {
  return "POST " + target +
         " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
         (close ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
}

// A handler that answers later from its own thread, as the host's gateway
// answers from the store's commit callback.
class LaterHandler : public WebhookHandler {
 public:
  ~LaterHandler() override {
    for (auto& thread : threads_) thread.join();
  }
  WebhookResponse handle(const WebhookRequest&) override { return {500, "", "blocking form must not be used"}; }
  bool handle_async(const WebhookRequest& request, const Responder& respond) override {
    threads_.emplace_back([body = request.body, respond] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      respond(WebhookResponse{202, "text/plain", "later:" + body});
    });
    return true;
  }

 private:
  std::vector<std::thread> threads_;
};

TEST_CASE("installed routes are served behind the front, bodies and headers intact") {
  TestServer test(with_ping_route());
  auto client = test.client();

  auto ping = client.Get("/api/v1/ping", {{"X-Tag", "t1"}});
  std::string body(300 * 1024, 'b');
  auto echo = client.Post("/api/v1/echo", body, "application/octet-stream");
  auto missing = client.Get("/api/v1/nothing-here");

  REQUIRE(ping);
  CHECK(ping->status == 200);
  CHECK(ping->body == "pong t1");
  REQUIRE(echo);
  CHECK(echo->status == 200);
  CHECK(echo->body == body);
  REQUIRE(missing);
  CHECK(missing->status == 404);
}

TEST_CASE("one keep-alive connection: a webhook, then an API route, then a webhook again") {
  TestServer test(with_ping_route());
  auto client = test.client();
  client.set_keep_alive(true);

  auto first = client.Post("/webhooks/demo?n=1", "{\"n\":1}", "application/json");
  auto api = client.Get("/api/v1/ping", {{"X-Tag", "mid"}});
  auto second = client.Post("/webhooks/demo?n=2", "{\"n\":2}", "application/json");  // now through the relay
  auto health = client.Get("/healthz");

  REQUIRE(first);
  CHECK(first->status == 200);
  REQUIRE(api);
  CHECK(api->body == "pong mid");
  REQUIRE(second);
  CHECK(second->status == 200);
  REQUIRE(health);
  CHECK(health->body == "ok");
  auto received = test.handler.received();
  REQUIRE(received.size() == 2);
  CHECK(received[0].body == "{\"n\":1}");
  CHECK(received[1].body == "{\"n\":2}");
  CHECK(received[1].query == "n=2");
}

TEST_CASE("bytes already read when the connection switches (the body after the head) reach the route server") {
  TestServer test(with_ping_route());
  std::string body = "0123456789";
  std::string response = raw_exchange(test.server.port(), raw_post("/api/v1/echo", body, true), 2000);  // one write

  CHECK(response.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(response.size() >= body.size());
  CHECK(response.substr(response.size() - body.size()) == body);
}

TEST_CASE("an asynchronous handler answers from its own thread; many requests wait at once on one network thread") {
  LaterHandler handler;
  metrics::Registry registry;
  metrics::HostMetrics metrics(registry);
  HttpServerOptions options;
  options.io_threads = 1;
  options.threads = 1;  // the blocking pool is not what serves them
  HttpServer server(options, handler, metrics);
  server.start();

  std::vector<std::future<httplib::Result>> answers;
  for (int i = 0; i < 32; ++i) {
    answers.push_back(std::async(std::launch::async, [&server, i] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_read_timeout(10, 0);
      return client.Post("/webhooks/demo", std::to_string(i), "text/plain");
    }));
  }
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 32; ++i) {
    auto result = answers[static_cast<std::size_t>(i)].get();
    REQUIRE(result);
    CHECK(result->status == 202);
    CHECK(result->body == "later:" + std::to_string(i));
  }
  // 32 answers of 20 ms each, one network thread: they waited together.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(600));
  server.stop();
}

TEST_CASE("pipelined webhooks in one write are each answered, in order, with their own body") {
  TestServer test;
  test.handler.respond = [](const WebhookRequest& request) { return WebhookResponse{200, "text/plain", request.body}; };

  std::string response =
      testing::raw_exchange(test.server.port(),
                            raw_post("/webhooks/demo", "first", false) + raw_post("/webhooks/demo", "second", false) +
                                raw_post("/webhooks/demo", "third", true),
                            2000);

  auto first = response.find("\r\n\r\nfirst");
  auto second = response.find("\r\n\r\nsecond");
  auto third = response.find("\r\n\r\nthird");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  REQUIRE(third != std::string::npos);
  CHECK(first < second);
  CHECK(second < third);
  auto received = test.handler.received();
  REQUIRE(received.size() == 3);
  CHECK(received[0].body == "first");
  CHECK(received[1].body == "second");
  CHECK(received[2].body == "third");
}

TEST_CASE("a body that arrives after its head, or in pieces, is read whole") {
  TestServer test;
  std::string body(3000, 'x');
  body += "end";
  std::string request = raw_post("/webhooks/demo", body, true);
  std::size_t head_end = request.find("\r\n\r\n") + 4;

  // The head alone, then the body in two pieces: the buffered parse finds
  // nothing or half a body and leaves the rest to the asynchronous read.
  std::string response = testing::raw_exchange_in_pieces(
      test.server.port(),
      {request.substr(0, head_end), request.substr(head_end, 1000), request.substr(head_end + 1000)}, 50, 2000);

  CHECK(response.rfind("HTTP/1.1 200", 0) == 0);
  auto received = test.handler.received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].body == body);
}

TEST_CASE("a client that expects 100-continue gets it before sending the body") {
  TestServer test;
  std::string request =
      "POST /webhooks/demo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n"
      "Connection: close\r\n\r\n";
  int fd = testing::connect_raw(test.server.port(), 2000);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  char buffer[256];
  ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
  REQUIRE(n > 0);
  CHECK(std::string(buffer, static_cast<std::size_t>(n)).rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
  ::send(fd, "{}", 2, MSG_NOSIGNAL);
  std::string rest;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) rest.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  CHECK(rest.find("HTTP/1.1 200") != std::string::npos);
  auto received = test.handler.received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].body == "{}");
}

}  // namespace
}  // namespace switchboard::http
