// What one pipeline run decided: the effects the durable layer commits in one
// transaction, and the trace operators read (`switchboard try`, decision log).
#pragma once

#include <switchboard/plugin.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::pipeline {

struct Intent {
  std::string name;
  double score = 0;
};

struct Reply {
  nlohmann::json outbound;  // {"text": …, …} as the handler gave it
  std::size_t step = 0;     // index of the step that replied
  bool suppressed = false;  // a human controls the conversation: recorded, never sent
  std::string suppressed_reason;
};

struct Assignment {
  std::string queue;
  int32_t priority = SB_PRIORITY_NORMAL;
  std::string reason;
  std::size_t step = 0;
};

struct StateWrite {
  std::string scope;
  std::string key;
  std::string value_json;
};

// One step's line in the trace.
struct StepTrace {
  std::size_t index = 0;
  std::string plugin;
  std::string action;  // "continue" | "stop" | "error"
  sb_status status = SB_OK;
  std::string detail;  // human-readable: what it did, or why it failed
  int64_t micros = 0;  // wall time of the call
};

struct RunResult {
  std::vector<StepTrace> steps;
  std::vector<std::string> tags;
  nlohmann::json attributes = nlohmann::json::object();
  std::optional<Intent> intent;
  std::vector<Reply> replies;
  std::optional<Assignment> assignment;
  std::optional<std::string> resolved;
  std::vector<StateWrite> state_writes;
  std::optional<std::size_t> decided_by;  // the step that stopped the run, if any

  // Replies that may actually be sent.
  std::size_t sendable_replies() const;

  // The decision trace as JSON: steps, tags, attributes, intent, replies,
  // queue, resolved, decided_by.
  nlohmann::json to_json() const;
};

const char* priority_name(int32_t priority);

}  // namespace switchboard::pipeline
