// A distribution over fixed buckets (latencies, sizes). observe() from any
// thread is lock-free: one bucket increment and one add to the sum.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

namespace switchboard::metrics {

class Histogram {
 public:
  static constexpr const char* kType = "histogram";

  // Cumulative counts per upper bound, as Prometheus exposes them; the last
  // entry is the +Inf bucket and equals count.
  struct Snapshot {
    std::vector<double> upper_bounds;       // finite bounds, without +Inf
    std::vector<std::uint64_t> cumulative;  // upper_bounds.size() + 1 entries
    double sum = 0;
    std::uint64_t count = 0;
  };

  // `upper_bounds` must be strictly increasing and not NaN; a trailing +Inf is
  // implied (and dropped if given). Throws std::invalid_argument otherwise.
  explicit Histogram(std::vector<double> upper_bounds);

  // Counts `value` in the first bucket whose bound is >= value (le is inclusive).
  void observe(double value) noexcept;
  template <typename Rep, typename Period>
  void observe(std::chrono::duration<Rep, Period> elapsed) noexcept {
    observe(std::chrono::duration<double>(elapsed).count());
  }

  Snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const { return upper_bounds_; }

 private:
  std::vector<double> upper_bounds_;
  std::vector<std::atomic<std::uint64_t>> counts_;  // per bucket, not cumulative; last is +Inf
  std::atomic<double> sum_{0.0};
};

// Checks and normalises bucket bounds (see the constructor); shared with
// Registry so a bad bucket list fails at registration.
std::vector<double> checked_upper_bounds(std::vector<double> upper_bounds);

}  // namespace switchboard::metrics
