// HostMetrics: the host's metric names, labels and types as scrapers see them.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "metrics/host_metrics.hpp"

namespace switchboard::metrics {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_CASE("the host's metrics render with their names, labels and types") {
  Registry registry;
  HostMetrics metrics(registry);
  metrics.inbound("demo", "accepted").inc();
  metrics.inbound("demo", "duplicate").inc();
  metrics.processed("demo", "ok").inc();
  metrics.pipeline_step("intent").observe(std::chrono::microseconds(70));
  metrics.replies("demo", "sent").inc();
  metrics.http_requests(200).inc();
  metrics.webhook_seconds.observe(0.002);
  metrics.set_outbox_depth_source([] { return 7.0; });

  std::string text = registry.render();
  CHECK(contains(text, "# TYPE switchboard_inbound_total counter\n"));
  CHECK(contains(text, "switchboard_inbound_total{inbox=\"demo\",result=\"accepted\"} 1\n"));
  CHECK(contains(text, "switchboard_inbound_total{inbox=\"demo\",result=\"duplicate\"} 1\n"));
  CHECK(contains(text, "switchboard_processed_total{inbox=\"demo\",result=\"ok\"} 1\n"));
  CHECK(contains(text, "# TYPE switchboard_pipeline_step_seconds histogram\n"));
  CHECK(contains(text, "switchboard_pipeline_step_seconds_bucket{plugin=\"intent\",le=\"5e-05\"} 0\n"));
  CHECK(contains(text, "switchboard_pipeline_step_seconds_bucket{plugin=\"intent\",le=\"0.0001\"} 1\n"));
  CHECK(contains(text, "switchboard_pipeline_step_seconds_bucket{plugin=\"intent\",le=\"5\"} 1\n"));
  CHECK(contains(text, "switchboard_replies_total{inbox=\"demo\",result=\"sent\"} 1\n"));
  CHECK(contains(text, "# TYPE switchboard_outbox_depth gauge\nswitchboard_outbox_depth 7\n"));
  CHECK(contains(text, "switchboard_webhook_seconds_bucket{le=\"0.0025\"} 1\n"));
  CHECK(contains(text, "switchboard_webhook_seconds_count 1\n"));
  CHECK(contains(text, "switchboard_http_requests_total{code=\"200\"} 1\n"));
}

TEST_CASE("latency buckets run from 50 microseconds to 5 seconds") {
  auto buckets = latency_buckets();
  REQUIRE(!buckets.empty());
  CHECK(buckets.front() == 0.00005);
  CHECK(buckets.back() == 5);
  CHECK(std::is_sorted(buckets.begin(), buckets.end()));
}

TEST_CASE("a cleared outbox depth source falls back to the plain gauge value") {
  Registry registry;
  HostMetrics metrics(registry);
  metrics.set_outbox_depth_source([] { return 5.0; });
  CHECK(metrics.outbox_depth.value() == 5);
  metrics.set_outbox_depth_source(nullptr);
  CHECK(metrics.outbox_depth.value() == 0);
}

}  // namespace
}  // namespace switchboard::metrics
