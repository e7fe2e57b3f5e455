// One configured plugin instance: an inbox's channel or a pipeline step.
//
// Owns the plugin's opaque instance pointer from create() to destroy() and
// holds its module, so the library outlives the instance. Calls are
// serialised by a mutex unless the plugin declares SB_PLUGIN_THREAD_SAFE;
// start/stop are called from the owner's thread only.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "plugins/host_context.hpp"
#include "plugins/plugin_module.hpp"

namespace switchboard::plugins {

// create() or start() failed; what() names the instance and the plugin's message.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PluginInstance {
 public:
  // Receives events a channel submits from its own threads (instance context).
  using InboundSink = std::function<sb_status(std::string_view event_json)>;

  // `label` says where the instance is configured, e.g. "inbox 'demo'" or
  // "pipeline 'default' step 1"; it prefixes the instance's log lines.
  static std::unique_ptr<PluginInstance> create(std::shared_ptr<const PluginModule> module, std::string label,
                                                const nlohmann::json& config);
  explicit PluginInstance(std::shared_ptr<const PluginModule> module);  // use create()
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  void set_inbound_sink(InboundSink sink) { context_.sink = std::move(sink); }
  // Where kv_* lands, under `scope`; call before start(). Without it kv_*
  // answers SB_ERR_STATE.
  void set_key_value(KeyValue* store, std::string scope);
  void start();
  void stop();  // idempotent

  sb_status on_message(sb_ctx& call, std::string_view message_json, int32_t& action);
  sb_status on_http(sb_ctx& call, const sb_http_request_v1& request);
  sb_status send(sb_ctx& call, std::string_view outbound_json);
  sb_status may_send(sb_ctx& call, std::string_view outbound_json);  // SB_OK when the plugin has no check

  const PluginModule& module() const { return *module_; }
  const std::string& label() const { return context_.label; }

 private:
  // The instance context handed to create(); lives as long as the instance.
  struct Context : sb_ctx {
    std::string label;
    InboundSink sink;
    void log(int32_t level, std::string_view message) override;
    sb_status submit_inbound(std::string_view event_json) override;
  };

  std::unique_lock<std::mutex> call_lock();
  void bind(sb_ctx& call) const { call.bind_key_value(&key_value_); }

  std::shared_ptr<const PluginModule> module_;
  Context context_;
  KeyValueScope key_value_;
  void* handle_ = nullptr;
  bool started_ = false;
  std::mutex call_mutex_;
};

// Logs a plugin's line under its label at the ABI's level.
void log_from_plugin(const std::string& label, int32_t level, std::string_view message);

}  // namespace switchboard::plugins
