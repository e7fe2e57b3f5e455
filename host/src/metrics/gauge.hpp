// A value that goes up and down: set/add from any thread (lock-free), or a
// callback evaluated at scrape time for values that live elsewhere (e.g. the
// outbox depth read from the database).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>

namespace switchboard::metrics {

class Gauge {
 public:
  static constexpr const char* kType = "gauge";

  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void add(double delta) noexcept;

  // While a callback is set, value() returns what it says and set/add are
  // ignored by scrapes. The callback runs on the scraping thread (an HTTP pool
  // thread) under the registry's lock, so it must not register metrics.
  // Clearing it (nullptr) waits for a running scrape, so the owner of the
  // source can clear it and then safely go away.
  void set_callback(std::function<double()> callback);

  // The callback's result (it may throw), else the last set/add value.
  double value() const;

 private:
  std::atomic<double> value_{0.0};
  mutable std::mutex callback_mutex_;
  std::function<double()> callback_;
};

}  // namespace switchboard::metrics
