// Read access to per-conversation plugin state (sb_host_v1.state_get).
// Writes are not made here: a run collects them in RunResult.state_writes and
// the caller commits them with the rest of the run's effects.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/run_result.hpp"

namespace switchboard::pipeline {

class StateReader {
 public:
  virtual ~StateReader() = default;
  // The JSON text stored under (scope, key) for the run's conversation.
  virtual std::optional<std::string> get(const std::string& scope, const std::string& key) const = 0;
};

// State of one conversation in memory: `switchboard try` and tests.
class MemoryState : public StateReader {
 public:
  std::optional<std::string> get(const std::string& scope, const std::string& key) const override {
    auto it = values_.find({scope, key});
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  void apply(const std::vector<StateWrite>& writes) {
    for (const StateWrite& w : writes) values_[{w.scope, w.key}] = w.value_json;
  }

 private:
  std::map<std::pair<std::string, std::string>, std::string> values_;
};

}  // namespace switchboard::pipeline
