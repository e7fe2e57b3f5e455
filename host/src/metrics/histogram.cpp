// Histogram: per-bucket atomic counts, made cumulative only when scraped.
#include "metrics/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace switchboard::metrics {

std::vector<double> checked_upper_bounds(std::vector<double> upper_bounds) {
  if (!upper_bounds.empty() && std::isinf(upper_bounds.back()) && upper_bounds.back() > 0) upper_bounds.pop_back();
  for (std::size_t i = 0; i < upper_bounds.size(); ++i) {
    if (std::isnan(upper_bounds[i])) throw std::invalid_argument("histogram bucket bound is NaN");
    if (i > 0 && !(upper_bounds[i - 1] < upper_bounds[i])) {
      throw std::invalid_argument("histogram bucket bounds must be strictly increasing");
    }
  }
  return upper_bounds;
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(checked_upper_bounds(std::move(upper_bounds))), counts_(upper_bounds_.size() + 1) {}

void Histogram::observe(double value) noexcept {
  std::size_t bucket = upper_bounds_.size();  // +Inf, also for NaN
  if (!std::isnan(value)) {
    bucket = static_cast<std::size_t>(std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
                                      upper_bounds_.begin());
  }
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
  }
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot out;
  out.upper_bounds = upper_bounds_;
  out.cumulative.reserve(counts_.size());
  std::uint64_t running = 0;
  for (const auto& count : counts_) {
    running += count.load(std::memory_order_relaxed);
    out.cumulative.push_back(running);
  }
  // count is derived from the buckets so _count always equals the +Inf bucket,
  // even while other threads observe.
  out.count = running;
  out.sum = sum_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace switchboard::metrics
