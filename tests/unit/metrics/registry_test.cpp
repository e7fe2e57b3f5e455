// Registry and metric types: exact Prometheus text, escaping, ordering,
// registration rules, and exact sums under concurrent updates.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "metrics/registry.hpp"
#include "metrics/text_format.hpp"

namespace switchboard::metrics {
namespace {

TEST_CASE("a labelled counter renders HELP, TYPE and one line per child") {
  Registry registry;
  auto& requests = registry.counter_family("app_requests_total", "Requests served.", {"inbox", "result"});
  requests.with({"demo", "ok"}).inc();
  requests.with({"demo", "ok"}).inc(2);
  requests.with({"alpha", "error"}).inc();

  CHECK(registry.render() ==
        "# HELP app_requests_total Requests served.\n"
        "# TYPE app_requests_total counter\n"
        "app_requests_total{inbox=\"alpha\",result=\"error\"} 1\n"
        "app_requests_total{inbox=\"demo\",result=\"ok\"} 3\n");
}

TEST_CASE("a gauge renders set and added values, and a callback's value at scrape time") {
  Registry registry;
  auto& temperature = registry.gauge("app_temperature", "Degrees.");
  temperature.set(20.5);
  temperature.add(-1.25);
  double depth = 3;
  auto& queue = registry.gauge("app_queue_depth", "Rows waiting.");
  queue.set_callback([&depth] { return depth; });

  CHECK(registry.render() ==
        "# HELP app_queue_depth Rows waiting.\n"
        "# TYPE app_queue_depth gauge\n"
        "app_queue_depth 3\n"
        "# HELP app_temperature Degrees.\n"
        "# TYPE app_temperature gauge\n"
        "app_temperature 19.25\n");
  depth = 42;
  CHECK(registry.render().find("app_queue_depth 42\n") != std::string::npos);
}

TEST_CASE("a gauge whose callback throws is left out of the scrape, the rest still renders") {
  Registry registry;
  registry.gauge("app_broken", "Fails.").set_callback([]() -> double { throw std::runtime_error("db gone"); });
  registry.counter("app_fine_total", "Works.").inc();

  CHECK(registry.render() ==
        "# HELP app_broken Fails.\n"
        "# TYPE app_broken gauge\n"
        "# HELP app_fine_total Works.\n"
        "# TYPE app_fine_total counter\n"
        "app_fine_total 1\n");
}

TEST_CASE("a labelled histogram renders cumulative buckets with le last, then _sum and _count") {
  Registry registry;
  auto& latency = registry.histogram_family("app_latency_seconds", "Latency.", {"plugin"}, {0.001, 0.01, 0.1});
  auto& intent = latency.with({"intent"});
  intent.observe(0.0005);
  intent.observe(0.005);
  intent.observe(0.005);
  intent.observe(0.5);

  CHECK(registry.render() ==
        "# HELP app_latency_seconds Latency.\n"
        "# TYPE app_latency_seconds histogram\n"
        "app_latency_seconds_bucket{plugin=\"intent\",le=\"0.001\"} 1\n"
        "app_latency_seconds_bucket{plugin=\"intent\",le=\"0.01\"} 3\n"
        "app_latency_seconds_bucket{plugin=\"intent\",le=\"0.1\"} 3\n"
        "app_latency_seconds_bucket{plugin=\"intent\",le=\"+Inf\"} 4\n"
        "app_latency_seconds_sum{plugin=\"intent\"} 0.5105\n"
        "app_latency_seconds_count{plugin=\"intent\"} 4\n");
}

TEST_CASE("an unlabelled histogram puts le alone in braces") {
  Registry registry;
  registry.histogram("app_size_bytes", "Sizes.", {100}).observe(std::chrono::milliseconds(1500));

  CHECK(registry.render() ==
        "# HELP app_size_bytes Sizes.\n"
        "# TYPE app_size_bytes histogram\n"
        "app_size_bytes_bucket{le=\"100\"} 1\n"
        "app_size_bytes_bucket{le=\"+Inf\"} 1\n"
        "app_size_bytes_sum 1.5\n"
        "app_size_bytes_count 1\n");
}

TEST_CASE("histogram buckets are inclusive upper bounds") {
  Histogram histogram({0.1, 1, 10});
  histogram.observe(0.1);        // exactly on a bound: that bucket
  histogram.observe(0.1000001);  // just above: the next
  histogram.observe(-5);         // below the first bound: the first
  histogram.observe(10);         // on the last bound
  histogram.observe(10.5);       // above every bound: +Inf only
  histogram.observe(std::numeric_limits<double>::infinity());

  Histogram::Snapshot snapshot = histogram.snapshot();
  CHECK(snapshot.upper_bounds == std::vector<double>{0.1, 1, 10});
  CHECK(snapshot.cumulative == std::vector<std::uint64_t>{2, 3, 4, 6});
  CHECK(snapshot.count == 6);
}

TEST_CASE("histogram bounds must increase strictly; a trailing +Inf is implied") {
  CHECK_THROWS_AS(Histogram({1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(Histogram({2, 1}), std::invalid_argument);
  CHECK_THROWS_AS(Histogram({std::nan("")}), std::invalid_argument);
  CHECK(Histogram({1, std::numeric_limits<double>::infinity()}).upper_bounds() == std::vector<double>{1});
}

TEST_CASE("label values and help text are escaped") {
  Registry registry;
  auto& family = registry.counter_family("app_escape_total", "Back\\slash and\nnew line, \"quotes\" kept.", {"v"});
  family.with({"a\\b \"c\"\nd"}).inc();

  CHECK(registry.render() ==
        "# HELP app_escape_total Back\\\\slash and\\nnew line, \"quotes\" kept.\n"
        "# TYPE app_escape_total counter\n"
        "app_escape_total{v=\"a\\\\b \\\"c\\\"\\nd\"} 1\n");
}

TEST_CASE("families render sorted by name and children by label values, the same every time") {
  Registry registry;
  registry.counter_family("zeta_total", "Z.", {"k"}).with({"b"}).inc();
  registry.counter_family("alpha_total", "A.", {"k"}).with({"b"}).inc();
  auto& mid = registry.counter_family("mid_total", "M.", {"k"});
  for (const char* value : {"c", "a", "b", "aa"}) mid.with({value}).inc();

  std::string text = registry.render();
  CHECK(text.find("alpha_total") < text.find("mid_total"));
  CHECK(text.find("mid_total") < text.find("zeta_total"));
  CHECK(text.find("mid_total{k=\"a\"}") < text.find("mid_total{k=\"aa\"}"));
  CHECK(text.find("mid_total{k=\"aa\"}") < text.find("mid_total{k=\"b\"}"));
  CHECK(text.find("mid_total{k=\"b\"}") < text.find("mid_total{k=\"c\"}"));
  CHECK(registry.render() == text);
}

TEST_CASE("numbers use the shortest exact form, with Prometheus' names for infinities and NaN") {
  CHECK(text::format_double(0) == "0");
  CHECK(text::format_double(-3) == "-3");
  CHECK(text::format_double(100000) == "100000");
  CHECK(text::format_double(1e20) == "1e+20");
  CHECK(text::format_double(0.0001) == "0.0001");
  CHECK(text::format_double(0.00025) == "0.00025");
  CHECK(text::format_double(0.1 + 0.2) == "0.30000000000000004");
  CHECK(text::format_double(5e-05) == "5e-05");
  CHECK(text::format_double(0.1) == "0.1");
  CHECK(text::format_double(2.5) == "2.5");
  CHECK(text::format_double(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(text::format_double(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(text::format_double(std::nan("")) == "NaN");
}

TEST_CASE("with() returns the same child for the same label values") {
  Registry registry;
  auto& family = registry.counter_family("app_total", "T.", {"a", "b"});
  CHECK(&family.with({"x", "y"}) == &family.with({"x", "y"}));
  CHECK(&family.with({"x,y", ""}) != &family.with({"x", "y"}));
  CHECK(&family.with({"x", "y,"}) != &family.with({"x,", "y"}));
}

TEST_CASE("registration refuses duplicates, invalid names and the wrong number of label values") {
  Registry registry;
  auto& family = registry.counter_family("app_total", "T.", {"inbox"});
  CHECK_THROWS_AS(registry.counter_family("app_total", "again", {}), std::invalid_argument);
  CHECK_THROWS_AS(registry.gauge("app_total", "other type, same name"), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("9starts_with_digit", "T."), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("has-dash", "T."), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter_family("app_x_total", "T.", {"__reserved"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter_family("app_y_total", "T.", {"a", "a"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.histogram_family("app_h", "T.", {"le"}, {1}), std::invalid_argument);
  CHECK_THROWS_AS(registry.histogram("app_h2", "T.", {2, 1}), std::invalid_argument);
  CHECK_THROWS_AS(family.with({}), std::invalid_argument);
  CHECK_THROWS_AS(family.with({"a", "b"}), std::invalid_argument);
  CHECK_NOTHROW(registry.counter("app:colons_ok_total", "T."));
}

TEST_CASE("increments from many threads sum exactly, through kept references and through lookups") {
  Registry registry;
  auto& family = registry.counter_family("app_events_total", "E.", {"inbox"});
  auto& kept = family.with({"kept"});
  auto& gauge = registry.gauge("app_level", "L.");
  auto& histogram = registry.histogram("app_seconds", "S.", {0.5});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50000;

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        kept.inc();
        family.with({"looked_up"}).inc();
        family.with({"thread_" + std::to_string(t % 2)}).inc(2);
        gauge.add(1);
        histogram.observe(i % 2 == 0 ? 0.25 : 1.0);
      }
    });
  }
  for (auto& thread : threads) thread.join();

  constexpr std::uint64_t kTotal = std::uint64_t{kThreads} * kPerThread;
  CHECK(kept.value() == kTotal);
  CHECK(family.with({"looked_up"}).value() == kTotal);
  CHECK(family.with({"thread_0"}).value() + family.with({"thread_1"}).value() == 2 * kTotal);
  CHECK(gauge.value() == static_cast<double>(kTotal));
  Histogram::Snapshot snapshot = histogram.snapshot();
  CHECK(snapshot.count == kTotal);
  CHECK(snapshot.cumulative[0] == kTotal / 2);
  CHECK(snapshot.sum == doctest::Approx(0.625 * static_cast<double>(kTotal)));
}

TEST_CASE("render while other threads register children and increment gives well-formed text") {
  Registry registry;
  auto& family = registry.counter_family("app_busy_total", "B.", {"n"});
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 2000; ++i) family.with({std::to_string(i)}).inc();
    done = true;
  });
  while (!done) {
    std::string text = registry.render();
    CHECK(text.rfind("# HELP app_busy_total B.\n# TYPE app_busy_total counter\n", 0) == 0);
    CHECK((text.empty() || text.back() == '\n'));
  }
  writer.join();
  std::string text = registry.render();
  CHECK(text.find("app_busy_total{n=\"1999\"} 1\n") != std::string::npos);
}

}  // namespace
}  // namespace switchboard::metrics
