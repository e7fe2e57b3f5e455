// Shared fixtures for the HTTP server tests: a real HttpServer on 127.0.0.1
// port 0 with a scripted WebhookHandler, real httplib clients, and a raw
// socket for requests a well-behaved client would never send.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/http_server.hpp"
#include "metrics/host_metrics.hpp"

namespace switchboard::http::testing {

// Records every request and answers with `respond` (default: 200 "accepted").
class ScriptedHandler : public WebhookHandler {
 public:
  std::function<WebhookResponse(const WebhookRequest&)> respond = [](const WebhookRequest&) {
    return WebhookResponse{200, "text/plain", "accepted"};
  };

  WebhookResponse handle(const WebhookRequest& request) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      received_.push_back(request);
    }
    return respond(request);
  }

  std::vector<WebhookRequest> received() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<WebhookRequest> received_;
};

// A started server; stopped when the fixture ends.
struct TestServer {
  explicit TestServer(HttpServerOptions options = {}, ReadinessCheck readiness = nullptr)
      : metrics(registry), server(std::move(options), handler, metrics, std::move(readiness)) {
    server.start();
  }

  httplib::Client client() const {
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(10, 0);
    client.set_tcp_nodelay(true);  // else Nagle holds the body back 40 ms behind the headers
    return client;
  }

  std::uint64_t responses(int status) { return metrics.http_requests(status).value(); }

  metrics::Registry registry;
  metrics::HostMetrics metrics;
  ScriptedHandler handler;
  HttpServer server;
};

// The "error" text of a JSON error body; fails the test when the body is not one.
inline std::string error_of(const httplib::Result& result) {
  REQUIRE(result);
  CHECK(result->get_header_value("Content-Type") == "application/json");
  auto body = nlohmann::json::parse(result->body, nullptr, false);
  REQUIRE(body.is_object());
  REQUIRE(body.contains("error"));
  return body["error"].get<std::string>();
}

// A TCP connection to the loopback port whose reads give up after `wait_ms`.
inline int connect_raw(std::uint16_t port, int wait_ms) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // each piece its own segment
  timeval timeout{wait_ms / 1000, (wait_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

// Sends `pieces` as raw bytes, `pause_ms` apart, and returns everything read
// until the server closes or `wait_ms` passes without data.
inline std::string raw_exchange_in_pieces(std::uint16_t port, const std::vector<std::string>& pieces, int pause_ms,
                                          int wait_ms = 1000) {
  int fd = connect_raw(port, wait_ms);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    ::send(fd, pieces[i].data(), pieces[i].size(), MSG_NOSIGNAL);
  }
  std::string response;
  char buffer[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return response;
}

// Sends `request` as raw bytes in one write; see raw_exchange_in_pieces.
inline std::string raw_exchange(std::uint16_t port, const std::string& request, int wait_ms = 1000) {
  return raw_exchange_in_pieces(port, {request}, 0, wait_ms);
}

}  // namespace switchboard::http::testing
