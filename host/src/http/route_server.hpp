// The routes that need cpp-httplib's thread-per-connection model — the agent
// API, the web inbox, server-sent events — served on a loopback port behind
// the front (HttpServer). The front relays a connection here byte for byte
// from its first request for such a route on; the relayed connection stays
// here, so this server also answers webhooks, /healthz, /readyz and /metrics
// with the same rules as the front (blocking the pool thread on the handler).
//
// Threads: construct, bind(), start() and stop() from the owner's thread.
// Handlers run on httplib's pool threads, concurrently.
#pragma once

#include <cstdint>
#include <memory>

#include "http/http_server.hpp"

namespace switchboard::http {

class RouteServer {
 public:
  // Binds options.host:options.port; the front passes 127.0.0.1:0.
  RouteServer(HttpServerOptions options, WebhookHandler& webhooks, metrics::HostMetrics& metrics,
              ReadinessCheck readiness);
  ~RouteServer();  // stop()
  RouteServer(const RouteServer&) = delete;
  RouteServer& operator=(const RouteServer&) = delete;

  std::uint16_t bind();  // throws HttpServerError
  void start();          // serves on its own thread
  void stop();           // waits for in-flight requests; idempotent
  std::uint16_t port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchboard::http
