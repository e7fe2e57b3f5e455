// Validation and buffering of a step's effects. Bad arguments get
// SB_ERR_INVALID, and the reason goes into the step's trace so the plugin
// author sees why.
#include "pipeline/step_context.hpp"

#include <algorithm>

#include "plugins/plugin_instance.hpp"

namespace switchboard::pipeline {
namespace {

constexpr std::size_t kMaxTagBytes = 64;

}  // namespace

void StepContext::log(int32_t level, std::string_view message) { plugins::log_from_plugin(label_, level, message); }

sb_status StepContext::tag(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxTagBytes) {
    return reject("tag must be 1 to 64 bytes");
  }
  auto& tags = effects_.tags;
  if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.emplace_back(tag);
  return SB_OK;
}

sb_status StepContext::set_attribute(std::string_view key, std::string_view value_json) {
  auto value = nlohmann::json::parse(value_json, nullptr, false);
  if (key.empty() || value.is_discarded()) {
    return reject("set_attribute needs a key and a JSON value");
  }
  effects_.attributes[std::string(key)] = std::move(value);
  return SB_OK;
}

sb_status StepContext::set_intent(std::string_view name, double score) {
  if (name.empty() || !(score >= 0.0 && score <= 1.0)) {
    return reject("set_intent needs a name and a score in [0, 1]");
  }
  effects_.intent = Intent{std::string(name), score};
  return SB_OK;
}

sb_status StepContext::reply(std::string_view outbound_json) {
  auto outbound = nlohmann::json::parse(outbound_json, nullptr, false);
  bool has_text = outbound.is_object() && outbound.contains("text") && outbound["text"].is_string() &&
                  !outbound["text"].get_ref<const std::string&>().empty();
  bool has_attachments = outbound.is_object() && outbound.contains("attachments");
  if (!has_text && !has_attachments) {
    return reject("reply needs a JSON object with a non-empty \"text\" or \"attachments\"");
  }
  effects_.replies.push_back(std::move(outbound));
  return SB_OK;
}

sb_status StepContext::assign(std::string_view queue, int32_t priority, std::string_view reason) {
  if (queue.empty() || priority < SB_PRIORITY_LOW || priority > SB_PRIORITY_URGENT) {
    return reject("assign needs a queue and a priority SB_PRIORITY_LOW..SB_PRIORITY_URGENT");
  }
  effects_.assignment = Assignment{std::string(queue), priority, std::string(reason), 0};
  return SB_OK;
}

sb_status StepContext::resolve(std::string_view reason) {
  effects_.resolved = std::string(reason);
  return SB_OK;
}

sb_status StepContext::state_get(std::string_view key, sb_str* out) {
  // This step's own earlier write wins over what was committed before.
  for (auto it = effects_.state_writes.rbegin(); it != effects_.state_writes.rend(); ++it) {
    if (it->key != key) continue;
    scratch_ = it->value_json;
    *out = sb_str{scratch_.data(), scratch_.size()};
    return SB_OK;
  }
  std::optional<std::string> stored = state_ ? state_->get(scope_, std::string(key)) : std::nullopt;
  if (!stored) return SB_ERR_NOT_FOUND;
  scratch_ = std::move(*stored);
  *out = sb_str{scratch_.data(), scratch_.size()};
  return SB_OK;
}

sb_status StepContext::state_set(std::string_view key, std::string_view value_json) {
  if (key.empty() || nlohmann::json::accept(value_json) == false) {
    return reject("state_set needs a key and a JSON value");
  }
  effects_.state_writes.push_back(StateWrite{scope_, std::string(key), std::string(value_json)});
  return SB_OK;
}

}  // namespace switchboard::pipeline
