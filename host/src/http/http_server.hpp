// The host's HTTP front door, on Boost.Beast: /webhooks/{inbox}[/…] to the
// WebhookHandler, /healthz, /readyz and /metrics, served by a few network
// threads that never wait. A webhook's answer is written when the handler
// responds — for the host's gateway, from the store's commit callback — so a
// thousand requests waiting for their group commit hold no thread at all.
// Every other route (the agent API, the web inbox: RouteInstaller, written
// against cpp-httplib) is served by a RouteServer on a loopback port; the
// front relays a connection there from its first such request on.
// Every response is counted in switchboard_http_requests_total; every error
// the server itself makes (404, 405, 413, 415, 500…) gets a JSON body
// {"error": "…"} and one log line.
//
// Threads: construct, bind(), start() and stop() from the owner's thread —
// never from a handler (stop() waits for in-flight requests). See
// WebhookHandler for where handlers run; the ReadinessCheck and gauge
// callbacks (through /metrics) run on network threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/webhook_handler.hpp"
#include "metrics/host_metrics.hpp"

namespace httplib {
class Server;
}

namespace switchboard::http {

// Installs further routes (the agent API, the web inbox) on the server,
// before the server's own catch-all 404/405 routes.
using RouteInstaller = std::function<void(httplib::Server&)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the system picks; bind() returns it
  // Network threads of the front; 0: half the cores, 1 to 4.
  std::size_t io_threads = 0;
  // Worker threads for requests a handler leaves to its blocking form
  // (WebhookHandler::handle_async() false), and the RouteServer's pool: httplib serves a connection on one
  // pool thread for the connection's whole life, so this bounds the relayed
  // connections (browsers, API clients) served at once.
  std::size_t threads = 64;
  std::size_t max_body_bytes = 1024 * 1024;  // larger bodies: 413, nothing reaches the handler
  int read_timeout_ms = 5000;                // per read while receiving a request
  int write_timeout_ms = 5000;               // per write while sending a response
  std::size_t keep_alive_max_count = 1000;   // requests per connection before the server closes it
  // Idle time before the server closes a keep-alive connection. The front
  // closes idle connections at once on stop(); relayed ones can hold stop()
  // up to this long.
  int keep_alive_timeout_s = 5;
  int listen_backlog = 1024;           // pending connections (capped by net.core.somaxconn)
  std::vector<RouteInstaller> routes;  // called once, at construction
};

// bind() failed (what() names host:port and the system's reason), or the
// server was used out of order.
class HttpServerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Readiness {
  bool ready = false;
  std::string reason;  // why not, when !ready: "recovering", "plugins starting"…
};
// Asked on every GET /readyz (pool thread). Empty: always ready.
using ReadinessCheck = std::function<Readiness()>;

class HttpServer {
 public:
  // `webhooks` and `metrics` must outlive the server.
  HttpServer(HttpServerOptions options, WebhookHandler& webhooks, metrics::HostMetrics& metrics,
             ReadinessCheck readiness = nullptr);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port and returns the port (the chosen one for port 0). Throws
  // HttpServerError, e.g. "cannot listen on 127.0.0.1:8080: Address already in use".
  std::uint16_t bind();
  // Serves on its own threads; bind()s first if not yet bound. Returns once
  // the server accepts connections.
  void start();
  // Stops accepting, closes idle connections, then waits for in-flight
  // requests to be answered (and relayed connections to end, see
  // keep_alive_timeout_s). Idempotent; the server cannot be started again.
  void stop();

  std::uint16_t port() const;  // 0 until bound

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchboard::http
