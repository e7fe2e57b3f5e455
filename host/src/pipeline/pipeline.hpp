// An inbox's pipeline: ordered steps, each a handler plugin instance with its
// own on_error policy. Built from config by app/; immutable once built, so
// any number of threads may run messages through it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plugins/plugin_instance.hpp"

namespace switchboard::pipeline {

// What a failing step (error status or exception) does to the run.
enum class OnError {
  Continue,  // record the failure, run the next step
  Stop,      // record the failure, run no further step
  Handoff,   // record the failure and hand the conversation to the pipeline's handoff queue
};

const char* on_error_name(OnError policy);

struct Step {
  std::string plugin;  // plugin name, for traces
  std::string scope;   // key of this step's per-conversation state, stable across restarts
  std::shared_ptr<plugins::PluginInstance> instance;
  OnError on_error = OnError::Continue;
};

struct Pipeline {
  std::string name;
  std::vector<Step> steps;
  std::string handoff_queue = "default";
};

}  // namespace switchboard::pipeline
