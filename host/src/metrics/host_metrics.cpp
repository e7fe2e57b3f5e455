// The host's metric names, help texts and buckets: the one place they are defined.
#include "metrics/host_metrics.hpp"

#include <string>

namespace switchboard::metrics {

std::vector<double> latency_buckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
}

HostMetrics::HostMetrics(Registry& registry)
    : registry(registry),
      inbound_total(registry.counter_family("switchboard_inbound_total",
                                            "Inbound events by inbox and result (accepted, duplicate, rejected).",
                                            {"inbox", "result"})),
      processed_total(registry.counter_family("switchboard_processed_total",
                                              "Inbound events run through their pipeline, by result (ok, error).",
                                              {"inbox", "result"})),
      pipeline_step_seconds(registry.histogram_family("switchboard_pipeline_step_seconds",
                                                      "Run time of one pipeline step, by handler plugin.", {"plugin"},
                                                      latency_buckets())),
      replies_total(registry.counter_family(
          "switchboard_replies_total",
          "Outbound replies by inbox and result (sent, retried, dead, blocked, suppressed).", {"inbox", "result"})),
      outbox_depth(registry.gauge("switchboard_outbox_depth", "Outbox rows not yet sent or dead-lettered.")),
      webhook_seconds(registry.histogram(
          "switchboard_webhook_seconds",
          "Webhook request time in the server: body read, routing and handler, including the commit.",
          latency_buckets())),
      http_requests_total(registry.counter_family("switchboard_http_requests_total",
                                                  "HTTP responses written, by status code.", {"code"})),
      sla_breaches_total(registry.counter_family(
          "switchboard_sla_breaches_total",
          "Response deadlines missed, by department queue and kind (first_response, next_response).",
          {"queue", "kind"})),
      billable_sends_total(registry.counter_family(
          "switchboard_billable_sends_total",
          "Replies sent that the channel reported billable (Zalo OA: 48 h to 7 days after the last interaction).",
          {"inbox"})),
      csat_ratings_total(registry.counter_family(
          "switchboard_csat_ratings_total", "Customer satisfaction ratings received, by department and rating 1-5.",
          {"department", "rating"})) {}

Counter& HostMetrics::http_requests(int status) {
  std::string code = std::to_string(status);
  return http_requests_total.with({code});
}

}  // namespace switchboard::metrics
