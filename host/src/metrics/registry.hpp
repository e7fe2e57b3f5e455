// The set of metric families one process exposes, rendered as Prometheus
// text (format 0.0.4) for GET /metrics.
//
// Any thread may register (under a mutex) and render. Registration returns
// references that stay valid as long as the Registry; increments through them
// never lock.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/counter.hpp"
#include "metrics/family.hpp"
#include "metrics/gauge.hpp"
#include "metrics/histogram.hpp"

namespace switchboard::metrics {

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each throws std::invalid_argument for a name already registered, an
  // invalid name or label name, or bad histogram buckets ("le" is reserved
  // for histograms).
  Family<Counter>& counter_family(std::string name, std::string help, std::vector<std::string> label_names);
  Family<Gauge>& gauge_family(std::string name, std::string help, std::vector<std::string> label_names);
  Family<Histogram>& histogram_family(std::string name, std::string help, std::vector<std::string> label_names,
                                      std::vector<double> upper_bounds);

  // Families without labels: the single child.
  Counter& counter(std::string name, std::string help);
  Gauge& gauge(std::string name, std::string help);
  Histogram& histogram(std::string name, std::string help, std::vector<double> upper_bounds);

  // Every family sorted by name: "# HELP", "# TYPE", then the samples.
  std::string render() const;

 private:
  template <typename Metric>
  Family<Metric>& add(std::unique_ptr<Family<Metric>> family);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<FamilyBase>> families_;
};

}  // namespace switchboard::metrics
