// Validation of the pipelines section.
#include "config/pipeline_config.hpp"

#include "config/section_schema.hpp"

namespace switchboard::config {

namespace {

std::optional<StepConfig> read_step(const nlohmann::json& value, const JsonPointer& at, const PluginCatalog& plugins,
                                    const ConfigDocument& doc, Diagnostics& errors) {
  nlohmann::json step = value;
  if (!apply_section_schema(Section::Step, step, at, errors)) return std::nullopt;
  std::optional<OnError> on_error = OnError::Continue;
  if (auto text = step.find("on_error"); text != step.end() && text->is_string()) {
    on_error = parse_on_error(text->get<std::string>());
    if (!on_error) errors.add(at / "on_error", "must be one of continue, stop, handoff");
  }
  std::optional<PluginBlock> block = read_plugin_block(step, at, SB_KIND_HANDLER, plugins, doc, errors);
  if (!block || !on_error) return std::nullopt;
  return StepConfig{std::move(*block), *on_error};
}

std::vector<StepConfig> read_steps(const nlohmann::json& pipeline, const JsonPointer& at, const PluginCatalog& plugins,
                                   const ConfigDocument& doc, Diagnostics& errors) {
  std::vector<StepConfig> steps;
  auto list = pipeline.find("steps");
  if (list == pipeline.end() || !list->is_array()) return steps;  // the section schema reported it
  if (list->empty()) errors.add(at / "steps", "a pipeline needs at least one step");
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (auto step = read_step((*list)[i], at / "steps" / i, plugins, doc, errors)) steps.push_back(std::move(*step));
  }
  return steps;
}

PipelineConfig read_pipeline(const std::string& name, const nlohmann::json& pipeline, const JsonPointer& at,
                             const PluginCatalog& plugins, const ConfigDocument& doc, Diagnostics& errors) {
  PipelineConfig config;
  config.name = name;
  config.steps = read_steps(pipeline, at, plugins, doc, errors);
  auto queue = pipeline.find("handoff_queue");
  if (queue != pipeline.end() && queue->is_string()) {
    config.handoff_queue = queue->get<std::string>();
    if (config.handoff_queue.empty()) errors.add(at / "handoff_queue", "must not be empty");
  }
  return config;
}

}  // namespace

const char* to_string(OnError on_error) {
  switch (on_error) {
    case OnError::Continue: return "continue";
    case OnError::Stop: return "stop";
    case OnError::Handoff: return "handoff";
  }
  return "continue";
}

std::optional<OnError> parse_on_error(std::string_view text) {
  for (OnError value : {OnError::Continue, OnError::Stop, OnError::Handoff}) {
    if (text == to_string(value)) return value;
  }
  return std::nullopt;
}

bool valid_pipeline_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!allowed) return false;
  }
  return true;
}

std::map<std::string, PipelineConfig> read_pipelines(const nlohmann::json& pipelines, const PluginCatalog& plugins,
                                                     const ConfigDocument& doc, Diagnostics& errors) {
  std::map<std::string, PipelineConfig> result;
  for (const auto& item : pipelines.items()) {
    const JsonPointer at = JsonPointer("/pipelines") / item.key();
    if (!valid_pipeline_name(item.key())) {
      errors.add(at, "pipeline names may use only a-z, 0-9, '_' and '-'");
    }
    nlohmann::json pipeline = item.value();
    if (!apply_section_schema(Section::Pipeline, pipeline, at, errors)) continue;
    result[item.key()] = read_pipeline(item.key(), pipeline, at, plugins, doc, errors);
  }
  return result;
}

}  // namespace switchboard::config
