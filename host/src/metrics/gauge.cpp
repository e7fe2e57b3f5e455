// Gauge: lock-free add on an atomic double; the callback behind a mutex.
#include "metrics/gauge.hpp"

#include <utility>

namespace switchboard::metrics {

void Gauge::add(double delta) noexcept {
  double current = value_.load(std::memory_order_relaxed);
  while (!value_.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
  }
}

void Gauge::set_callback(std::function<double()> callback) {
  std::lock_guard<std::mutex> lock(callback_mutex_);
  callback_ = std::move(callback);
}

double Gauge::value() const {
  std::lock_guard<std::mutex> lock(callback_mutex_);
  if (callback_) return callback_();
  return value_.load(std::memory_order_relaxed);
}

}  // namespace switchboard::metrics
