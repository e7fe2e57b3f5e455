// HttpServer around the webhooks: health, readiness and metrics endpoints,
// bind errors, graceful stop and many concurrent keep-alive clients.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_support.hpp"

namespace switchboard::http {
namespace {

using Clock = std::chrono::steady_clock;
using testing::error_of;
using testing::TestServer;

TEST_CASE("/healthz answers 200 ok while the server serves") {
  TestServer test;

  auto result = test.client().Get("/healthz");

  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->body == "ok");
}

TEST_CASE("/readyz follows the readiness check: 503 with the reason, then 200") {
  std::atomic<bool> ready{false};
  TestServer test({}, [&ready] { return Readiness{ready.load(), "recovering: 12 events to replay"}; });

  auto before = test.client().Get("/readyz");
  ready = true;
  auto after = test.client().Get("/readyz");

  REQUIRE(before);
  CHECK(before->status == 503);
  CHECK(error_of(before) == "recovering: 12 events to replay");
  REQUIRE(after);
  CHECK(after->status == 200);
}

TEST_CASE("/readyz without a readiness check is 200; a throwing check is 503") {
  TestServer always;
  TestServer broken({}, []() -> Readiness { throw std::runtime_error("store closed"); });

  auto ok = always.client().Get("/readyz");
  auto failed = broken.client().Get("/readyz");

  REQUIRE(ok);
  CHECK(ok->status == 200);
  REQUIRE(failed);
  CHECK(failed->status == 503);
  CHECK(error_of(failed).find("store closed") != std::string::npos);
}

TEST_CASE("/metrics serves the registry as Prometheus text") {
  TestServer test;
  test.metrics.inbound("demo", "accepted").inc();
  test.client().Post("/webhooks/demo", "{}", "application/json");

  auto result = test.client().Get("/metrics");

  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(result->body.rfind("# HELP switchboard_", 0) == 0);
  CHECK(result->body.find("# TYPE switchboard_http_requests_total counter\n") != std::string::npos);
  CHECK(result->body.find("switchboard_inbound_total{inbox=\"demo\",result=\"accepted\"} 1\n") != std::string::npos);
  CHECK(result->body.find("switchboard_webhook_seconds_count 1\n") != std::string::npos);
}

TEST_CASE("binding a taken port fails with a message naming host:port and the reason") {
  TestServer first;
  HttpServerOptions options;
  options.port = first.server.port();
  testing::ScriptedHandler handler;
  metrics::Registry registry;
  metrics::HostMetrics metrics(registry);
  HttpServer second(options, handler, metrics);

  std::string message;
  try {
    second.bind();
  } catch (const HttpServerError& e) {
    message = e.what();
  }

  CHECK(message == "cannot listen on 127.0.0.1:" + std::to_string(first.server.port()) + ": Address already in use");
  CHECK_THROWS_AS(second.start(), HttpServerError);
  auto still = first.client().Get("/healthz");
  REQUIRE(still);
  CHECK(still->status == 200);
}

TEST_CASE("bind() returns the chosen port; a bound server that never starts releases it on stop") {
  testing::ScriptedHandler handler;
  metrics::Registry registry;
  metrics::HostMetrics metrics(registry);
  std::uint16_t port = 0;
  {
    HttpServer server({}, handler, metrics);
    port = server.bind();
    CHECK(port != 0);
    CHECK(server.port() == port);
    server.stop();
  }
  HttpServerOptions options;
  options.port = port;
  HttpServer again(options, handler, metrics);
  CHECK(again.bind() == port);
}

TEST_CASE("stop() waits for an in-flight slow handler, which still answers") {
  TestServer test;
  std::promise<void> entered;
  test.handler.respond = [&entered](const WebhookRequest&) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    return WebhookResponse{200, "text/plain", "slow done"};
  };
  auto answer = std::async(std::launch::async,
                           [&test] { return test.client().Post("/webhooks/demo", "{}", "application/json"); });
  entered.get_future().wait();

  auto started = Clock::now();
  test.server.stop();
  auto waited = Clock::now() - started;

  CHECK(waited >= std::chrono::milliseconds(300));
  auto result = answer.get();
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->body == "slow done");
  CHECK(!test.client().Get("/healthz"));
  CHECK_NOTHROW(test.server.stop());
}

TEST_CASE("stop() with an idle keep-alive connection returns within keep_alive_timeout_s") {
  HttpServerOptions options;
  options.keep_alive_timeout_s = 1;
  TestServer test(options);
  auto client = test.client();
  client.set_keep_alive(true);
  REQUIRE(client.Get("/healthz"));

  auto started = Clock::now();
  test.server.stop();

  CHECK(Clock::now() - started < std::chrono::milliseconds(2500));
}

TEST_CASE("64 concurrent keep-alive clients are all served at once with threads=64") {
  constexpr int kClients = 64;
  constexpr int kRequestsEach = 20;
  HttpServerOptions options;
  options.threads = kClients;
  TestServer test(options);

  // Each client's first request waits here until all 64 are in handlers at
  // the same time: only possible if every connection has its own thread.
  std::mutex mutex;
  std::condition_variable all_in;
  int arrived = 0;
  std::atomic<int> in_flight{0};
  std::atomic<int> most_in_flight{0};
  test.handler.respond = [&](const WebhookRequest& request) {
    int now = ++in_flight;
    int seen = most_in_flight.load();
    while (now > seen && !most_in_flight.compare_exchange_weak(seen, now)) {
    }
    if (request.path == "/first") {
      std::unique_lock<std::mutex> lock(mutex);
      if (++arrived == kClients) all_in.notify_all();
      all_in.wait_for(lock, std::chrono::seconds(10), [&] { return arrived == kClients; });
    }
    --in_flight;
    return WebhookResponse{200, "text/plain", request.query};
  };

  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto client = test.client();
      client.set_keep_alive(true);
      for (int i = 0; i < kRequestsEach; ++i) {
        std::string query = "c=" + std::to_string(c) + "&i=" + std::to_string(i);
        auto result =
            client.Post((i == 0 ? "/webhooks/demo/first?" : "/webhooks/demo?") + query, "{}", "application/json");
        if (result && result->status == 200 && result->body == query) ++answered;
      }
    });
  }
  for (auto& client : clients) client.join();

  CHECK(answered == kClients * kRequestsEach);
  CHECK(most_in_flight == kClients);
  CHECK(test.handler.received().size() == static_cast<std::size_t>(kClients * kRequestsEach));
}

}  // namespace
}  // namespace switchboard::http
