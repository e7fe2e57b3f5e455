// The host's metrics, registered once on a Registry and handed by reference
// to whoever records them. Any thread may use any member.
//
//   metrics.inbound(inbox, "accepted").inc();
//   metrics.pipeline_step(plugin).observe(std::chrono::steady_clock::now() - started);
//
// Each helper is one hash lookup under a shared lock; on a hot path keep the
// returned reference instead (it stays valid as long as the Registry).
#pragma once

#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/counter.hpp"
#include "metrics/family.hpp"
#include "metrics/gauge.hpp"
#include "metrics/histogram.hpp"
#include "metrics/registry.hpp"

namespace switchboard::metrics {

// Latency buckets in seconds, 50 µs to 5 s.
std::vector<double> latency_buckets();

struct HostMetrics {
  explicit HostMetrics(Registry& registry);
  HostMetrics(const HostMetrics&) = delete;
  HostMetrics& operator=(const HostMetrics&) = delete;

  // switchboard_inbound_total; result: "accepted" | "duplicate" | "rejected".
  Counter& inbound(std::string_view inbox, std::string_view result) { return inbound_total.with({inbox, result}); }
  // switchboard_processed_total; result: "ok" | "error".
  Counter& processed(std::string_view inbox, std::string_view result) { return processed_total.with({inbox, result}); }
  // switchboard_pipeline_step_seconds, one step's run time.
  Histogram& pipeline_step(std::string_view plugin) { return pipeline_step_seconds.with({plugin}); }
  // switchboard_replies_total; result: "sent" | "retried" | "dead" | "blocked" | "suppressed".
  Counter& replies(std::string_view inbox, std::string_view result) { return replies_total.with({inbox, result}); }
  // switchboard_billable_sends_total: sends the channel reported billable.
  Counter& billable_sends(std::string_view inbox) { return billable_sends_total.with({inbox}); }
  // switchboard_http_requests_total, every response the HTTP server writes.
  Counter& http_requests(int status);

  // switchboard_outbox_depth is read from `depth` at each scrape (on an HTTP
  // thread). The owner of the source sets it once started, and clears it
  // (nullptr) before the source goes away.
  void set_outbox_depth_source(std::function<double()> depth) { outbox_depth.set_callback(std::move(depth)); }

  Registry& registry;
  Family<Counter>& inbound_total;            // {inbox, result}
  Family<Counter>& processed_total;          // {inbox, result}
  Family<Histogram>& pipeline_step_seconds;  // {plugin}
  Family<Counter>& replies_total;            // {inbox, result}
  Gauge& outbox_depth;                       // rows waiting to be sent
  Histogram& webhook_seconds;                // webhook time in the server: body read, handler, commit
  Family<Counter>& http_requests_total;      // {code}
  Family<Counter>& sla_breaches_total;       // {queue, kind}
  Family<Counter>& billable_sends_total;     // {inbox}
  Family<Counter>& csat_ratings_total;       // {department, rating}
};

}  // namespace switchboard::metrics
