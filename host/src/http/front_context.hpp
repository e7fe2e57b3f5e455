// What every connection of the front shares: the options, the handler and
// metrics, the worker pool for blocking handlers, where the route server
// listens, and the live sets stop() works through.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>

#include "http/http_server.hpp"
#include "http/live_set.hpp"

namespace switchboard::http {

struct FrontContext {
  FrontContext(const HttpServerOptions& options, WebhookHandler& webhooks, metrics::HostMetrics& metrics,
               const ReadinessCheck& readiness, boost::asio::thread_pool& workers)
      : options(options), webhooks(webhooks), metrics(metrics), readiness(readiness), workers(workers) {}

  const HttpServerOptions& options;
  WebhookHandler& webhooks;
  metrics::HostMetrics& metrics;
  const ReadinessCheck& readiness;
  boost::asio::thread_pool& workers;
  std::uint16_t route_port = 0;  // the RouteServer on 127.0.0.1
  std::atomic<bool> stopping{false};
  LiveSet connections;
  LiveSet relays;
};

}  // namespace switchboard::http
