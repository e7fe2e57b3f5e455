// A metric family: one name, help text and fixed label names, with one child
// metric per distinct label values. with() creates a child on first use and
// returns the same object ever after; the reference stays valid as long as the
// Registry, so hot paths keep it instead of looking it up again.
//
// Any thread may call with() (a shared lock, one hash lookup; an exclusive
// lock only to create a child) and render().
#pragma once

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "metrics/text_format.hpp"

namespace switchboard::metrics {

class FamilyBase {
 public:
  // Throws std::invalid_argument for a name or label name Prometheus rejects,
  // or a repeated label name.
  FamilyBase(std::string name, std::string help, std::vector<std::string> label_names);
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Appends HELP, TYPE and every child's samples, children sorted by label values.
  virtual void render(std::string& out) const = 0;

 protected:
  // A unique map key for `values`; throws std::invalid_argument when their
  // number differs from the label names'.
  std::string child_key(std::initializer_list<std::string_view> values) const;

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
};

template <typename Metric>
class Family final : public FamilyBase {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;

  Family(std::string name, std::string help, std::vector<std::string> label_names, Factory make)
      : FamilyBase(std::move(name), std::move(help), std::move(label_names)), make_(std::move(make)) {}

  // The child for these label values, in label-name order:
  // `inbound_total.with({"demo", "accepted"}).inc()`.
  Metric& with(std::initializer_list<std::string_view> label_values) {
    std::string key = child_key(label_values);
    {
      std::shared_lock<std::shared_mutex> lock(mutex_);
      auto found = children_.find(key);
      if (found != children_.end()) return *found->second.metric;
    }
    std::unique_lock<std::shared_mutex> lock(mutex_);
    auto [it, inserted] = children_.try_emplace(std::move(key));
    if (inserted) {
      it->second.label_values.assign(label_values.begin(), label_values.end());
      it->second.metric = make_();
    }
    return *it->second.metric;
  }

  void render(std::string& out) const override {
    text::append_header(out, name(), help(), Metric::kType);
    std::vector<const Child*> sorted;
    {
      std::shared_lock<std::shared_mutex> lock(mutex_);
      sorted.reserve(children_.size());
      for (const auto& entry : children_) sorted.push_back(&entry.second);
    }
    // Children are never removed, so the pointers outlive the lock.
    std::sort(sorted.begin(), sorted.end(),
              [](const Child* a, const Child* b) { return a->label_values < b->label_values; });
    for (const Child* child : sorted) {
      text::append_samples(out, name(), text::Labels{label_names(), child->label_values}, *child->metric);
    }
  }

 private:
  struct Child {
    std::vector<std::string> label_values;
    std::unique_ptr<Metric> metric;
  };

  Factory make_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Child> children_;
};

}  // namespace switchboard::metrics
