// The sb_ctx of one pipeline step. It buffers the step's effects so that a
// step which fails leaves nothing behind: the runner merges them into the
// run only when the step returns SB_OK. One thread (the run's) uses it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/run_result.hpp"
#include "pipeline/state_reader.hpp"
#include "plugins/host_context.hpp"

namespace switchboard::pipeline {

struct StepEffects {
  std::vector<std::string> tags;
  nlohmann::json attributes = nlohmann::json::object();
  std::optional<Intent> intent;
  std::vector<nlohmann::json> replies;
  std::optional<Assignment> assignment;
  std::optional<std::string> resolved;
  std::vector<StateWrite> state_writes;
};

class StepContext : public sb_ctx {
 public:
  StepContext(std::string label, std::string scope, const StateReader* state)
      : label_(std::move(label)), scope_(std::move(scope)), state_(state) {}

  void log(int32_t level, std::string_view message) override;
  sb_status tag(std::string_view tag) override;
  sb_status set_attribute(std::string_view key, std::string_view value_json) override;
  sb_status set_intent(std::string_view name, double score) override;
  sb_status reply(std::string_view outbound_json) override;
  sb_status assign(std::string_view queue, int32_t priority, std::string_view reason) override;
  sb_status resolve(std::string_view reason) override;
  sb_status state_get(std::string_view key, sb_str* out) override;
  sb_status state_set(std::string_view key, std::string_view value_json) override;

  StepEffects& effects() { return effects_; }
  // Why the host refused a call of this step, if it did (first refusal).
  const std::string& rejection() const { return rejection_; }

 private:
  std::string label_;
  std::string scope_;
  const StateReader* state_;
  StepEffects effects_;
  std::string scratch_;  // backs the view state_get returns, valid for the call
  std::string rejection_;

  sb_status reject(const char* reason) {
    if (rejection_.empty()) rejection_ = reason;
    return SB_ERR_INVALID;
  }
};

}  // namespace switchboard::pipeline
