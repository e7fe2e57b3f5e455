// Runs one message through an inbox's pipeline, in memory.
//
// Independent of storage: the caller supplies the message JSON and the
// conversation's state, and gets back a RunResult holding every effect and
// the trace. The durable flow commits that result in one transaction; `try`
// prints it. Stateless: any thread may call run(), concurrently.
#pragma once

#include <nlohmann/json.hpp>

#include "pipeline/pipeline.hpp"
#include "pipeline/run_result.hpp"
#include "pipeline/state_reader.hpp"

namespace switchboard::pipeline {

struct RunInput {
  // What handlers see: text, contact, conversation, inbox, channel… The
  // runner adds "tags", "attributes" and "intent" decided by earlier steps.
  nlohmann::json message;
  // One controller: when a human controls the conversation, automated
  // replies are recorded as suppressed and never sent.
  bool human_in_control = false;
  const StateReader* state = nullptr;
};

class PipelineRunner {
 public:
  explicit PipelineRunner(const Pipeline& pipeline) : pipeline_(pipeline) {}
  RunResult run(const RunInput& input) const;

 private:
  const Pipeline& pipeline_;
};

}  // namespace switchboard::pipeline
