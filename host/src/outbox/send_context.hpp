// The sb_ctx of one may_send or send call: collects the error text and the
// result object ({"message_id"}, {"retry_after_ms"}, {"code"}) the plugin
// reports. One thread (the outbox worker's) uses it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "plugins/host_context.hpp"
#include "plugins/plugin_instance.hpp"

namespace switchboard::outbox {

class SendContext : public sb_ctx {
 public:
  explicit SendContext(std::string label) : label_(std::move(label)) {}

  void log(int32_t level, std::string_view message) override { plugins::log_from_plugin(label_, level, message); }
  sb_status set_result(std::string_view result_json) override {
    auto parsed = nlohmann::json::parse(result_json, nullptr, false);
    if (!parsed.is_object()) return SB_ERR_INVALID;
    result_.update(parsed);
    return SB_OK;
  }
  const nlohmann::json& result() const { return result_; }

 private:
  std::string label_;
  nlohmann::json result_ = nlohmann::json::object();
};

}  // namespace switchboard::outbox
