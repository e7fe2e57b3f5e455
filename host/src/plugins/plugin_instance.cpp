// Lifecycle and calls of one plugin instance.
#include "plugins/plugin_instance.hpp"

#include <switchboard/sdk.hpp>

#include "log/logger.hpp"

namespace switchboard::plugins {

using sdk::to_sb;

void log_from_plugin(const std::string& label, int32_t level, std::string_view message) {
  int clamped = level < SB_LOG_DEBUG ? SB_LOG_DEBUG : (level > SB_LOG_ERROR ? SB_LOG_ERROR : level);
  log::write(static_cast<log::Level>(clamped), label, message);
}

void PluginInstance::Context::log(int32_t level, std::string_view message) { log_from_plugin(label, level, message); }

sb_status PluginInstance::Context::submit_inbound(std::string_view event_json) {
  if (!sink) return SB_ERR_UNSUPPORTED;
  return sink(event_json);
}

PluginInstance::PluginInstance(std::shared_ptr<const PluginModule> module) : module_(std::move(module)) {}

std::unique_ptr<PluginInstance> PluginInstance::create(std::shared_ptr<const PluginModule> module, std::string label,
                                                       const nlohmann::json& config) {
  auto instance = std::make_unique<PluginInstance>(std::move(module));
  instance->context_.label = std::move(label);
  std::string text = config.dump();
  const sb_plugin_v1& t = instance->module_->table();
  sb_status status = t.create(&instance->context_, to_sb(text), &instance->handle_);
  if (status != SB_OK || instance->handle_ == nullptr) {
    std::string why =
        instance->context_.error().empty() ? "status " + std::to_string(status) : instance->context_.error();
    instance->handle_ = nullptr;
    throw PluginError(instance->label() + " (" + instance->module_->name() + "): create failed: " + why);
  }
  return instance;
}

PluginInstance::~PluginInstance() {
  if (handle_ == nullptr) return;
  stop();
  module_->table().destroy(handle_);
}

void PluginInstance::start() {
  if (started_) return;
  const sb_plugin_v1& t = module_->table();
  context_.clear_error();
  if (t.start != nullptr && t.start(handle_) != SB_OK) {
    throw PluginError(label() + " (" + module_->name() + "): start failed: " + context_.error());
  }
  started_ = true;
}

void PluginInstance::stop() {
  if (!started_) return;
  started_ = false;
  const sb_plugin_v1& t = module_->table();
  if (t.stop != nullptr) t.stop(handle_);
}

void PluginInstance::set_key_value(KeyValue* store, std::string scope) {
  key_value_ = KeyValueScope{store, std::move(scope)};
  context_.bind_key_value(&key_value_);
}

std::unique_lock<std::mutex> PluginInstance::call_lock() {
  if (module_->thread_safe()) return std::unique_lock<std::mutex>();
  return std::unique_lock<std::mutex>(call_mutex_);
}

sb_status PluginInstance::on_message(sb_ctx& call, std::string_view message_json, int32_t& action) {
  const sb_plugin_v1& t = module_->table();
  if (t.on_message == nullptr) return SB_ERR_UNSUPPORTED;
  action = SB_ACTION_CONTINUE;
  bind(call);
  auto lock = call_lock();
  return t.on_message(handle_, &call, to_sb(message_json), &action);
}

sb_status PluginInstance::on_http(sb_ctx& call, const sb_http_request_v1& request) {
  const sb_plugin_v1& t = module_->table();
  if (t.on_http == nullptr) return SB_ERR_UNSUPPORTED;
  bind(call);
  auto lock = call_lock();
  return t.on_http(handle_, &call, &request);
}

sb_status PluginInstance::may_send(sb_ctx& call, std::string_view outbound_json) {
  const sb_plugin_v1& t = module_->table();
  if (t.may_send == nullptr) return SB_OK;
  bind(call);
  auto lock = call_lock();
  return t.may_send(handle_, &call, to_sb(outbound_json));
}

sb_status PluginInstance::send(sb_ctx& call, std::string_view outbound_json) {
  const sb_plugin_v1& t = module_->table();
  if (t.send == nullptr) return SB_ERR_UNSUPPORTED;
  bind(call);
  auto lock = call_lock();
  return t.send(handle_, &call, to_sb(outbound_json));
}

}  // namespace switchboard::plugins
