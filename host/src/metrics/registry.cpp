// Registry: owns the families; render() walks them in name order.
#include "metrics/registry.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace switchboard::metrics {

template <typename Metric>
Family<Metric>& Registry::add(std::unique_ptr<Family<Metric>> family) {
  std::lock_guard<std::mutex> lock(mutex_);
  Family<Metric>& added = *family;
  auto [it, inserted] = families_.try_emplace(family->name(), std::move(family));
  if (!inserted) throw std::invalid_argument("metric '" + it->first + "' is already registered");
  return added;
}

Family<Counter>& Registry::counter_family(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(label_names),
                                               [] { return std::make_unique<Counter>(); }));
}

Family<Gauge>& Registry::gauge_family(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(std::make_unique<Family<Gauge>>(std::move(name), std::move(help), std::move(label_names),
                                             [] { return std::make_unique<Gauge>(); }));
}

Family<Histogram>& Registry::histogram_family(std::string name, std::string help, std::vector<std::string> label_names,
                                              std::vector<double> upper_bounds) {
  if (std::find(label_names.begin(), label_names.end(), "le") != label_names.end()) {
    throw std::invalid_argument(name + ": 'le' is reserved for histogram buckets");
  }
  auto bounds = checked_upper_bounds(std::move(upper_bounds));
  return add(std::make_unique<Family<Histogram>>(std::move(name), std::move(help), std::move(label_names),
                                                 [bounds] { return std::make_unique<Histogram>(bounds); }));
}

Counter& Registry::counter(std::string name, std::string help) {
  return counter_family(std::move(name), std::move(help), {}).with({});
}

Gauge& Registry::gauge(std::string name, std::string help) {
  return gauge_family(std::move(name), std::move(help), {}).with({});
}

Histogram& Registry::histogram(std::string name, std::string help, std::vector<double> upper_bounds) {
  return histogram_family(std::move(name), std::move(help), {}, std::move(upper_bounds)).with({});
}

std::string Registry::render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& entry : families_) entry.second->render(out);
  return out;
}

}  // namespace switchboard::metrics
