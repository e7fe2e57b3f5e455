// The "pipelines" section: named sequences of handler steps, each with a
// policy for when it fails.
#pragma once

#include "config/config_document.hpp"
#include "config/diagnostics.hpp"
#include "config/plugin_block.hpp"
#include "config/plugin_catalog.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::config {

// What the pipeline does when a step fails.
enum class OnError {
  Continue,  // run the next step
  Stop,      // run no further step
  Handoff,   // hand the conversation to the pipeline's handoff_queue
};

const char* to_string(OnError on_error);
std::optional<OnError> parse_on_error(std::string_view text);

struct StepConfig {
  PluginBlock block;
  OnError on_error = OnError::Continue;
};

struct PipelineConfig {
  std::string name;
  std::vector<StepConfig> steps;
  std::string handoff_queue = "default";
};

// True when `name` matches [a-z0-9_-]+.
bool valid_pipeline_name(const std::string& name);

// Reads the "pipelines" object: names valid, at least one step each, step
// plugins of kind handler, on_error one of continue|stop|handoff.
std::map<std::string, PipelineConfig> read_pipelines(const nlohmann::json& pipelines, const PluginCatalog& plugins,
                                                     const ConfigDocument& doc, Diagnostics& errors);

}  // namespace switchboard::config
