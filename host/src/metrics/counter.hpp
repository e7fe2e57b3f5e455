// A monotonic count (events, bytes). Any thread may call any member; inc()
// is one relaxed atomic add, so it is safe on the hot path.
#pragma once

#include <atomic>
#include <cstdint>

namespace switchboard::metrics {

class Counter {
 public:
  static constexpr const char* kType = "counter";

  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

}  // namespace switchboard::metrics
