// Everything one config file builds: the plugin registry, a channel instance
// per inbox, and the pipelines with their handler instances.
//
// Built and torn down from the owner's thread (main, or the reload path);
// once started, pipelines are read-only and may be run from any thread.
// Start order is handlers before channels, so no message arrives before its
// pipeline can run; stop is the reverse.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/config_document.hpp"
#include "pipeline/pipeline.hpp"
#include "plugins/plugin_instance.hpp"
#include "plugins/plugin_registry.hpp"

namespace switchboard::app {

// The config could not be turned into a runtime; lines() holds every reason.
class StartupError : public std::runtime_error {
 public:
  explicit StartupError(std::vector<std::string> lines);
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

struct Inbox {
  config::InboxConfig config;
  std::shared_ptr<plugins::PluginInstance> channel;  // null when built without channels
  const pipeline::Pipeline* pipeline = nullptr;
};

class Runtime {
 public:
  enum class Parts {
    Everything,     // `run` and `check`: channels and pipelines
    PipelinesOnly,  // `try`: no channel is created, so nothing can reach the outside world
  };

  // Validates the config against the registry's plugins and creates every
  // instance. Throws StartupError with all config errors and create() failures.
  static std::unique_ptr<Runtime> build(const config::ConfigDocument& document,
                                        std::unique_ptr<plugins::PluginRegistry> registry, Parts parts);

  // read_config + load_plugins + build: the whole start-up for `run` and `try`.
  static std::unique_ptr<Runtime> load(const std::filesystem::path& config_file,
                                       const std::filesystem::path& executable, Parts parts);

  ~Runtime();

  // Routes what channels submit from their own threads (instance context) to
  // `sink`, tagged with the inbox id. Call before start().
  using InboundSink = std::function<sb_status(const std::string& inbox, std::string_view event_json)>;
  void connect_inbound(const InboundSink& sink);
  // Gives every instance its durable key-value scope ("inbox/<id>",
  // "step/<pipeline>/<plugin>/<n>"); `kv` outlives the runtime. Before start().
  void connect_key_value(plugins::KeyValue& kv);

  void start();
  void stop();

  const config::Config& config() const { return config_; }
  const plugins::PluginRegistry& registry() const { return *registry_; }
  const Inbox* inbox(const std::string& id) const;
  const std::vector<Inbox>& inboxes() const { return inboxes_; }

  explicit Runtime(std::unique_ptr<plugins::PluginRegistry> registry);  // use build()

 private:
  void build_pipelines(std::vector<std::string>& errors);
  void build_inboxes(Parts parts, std::vector<std::string>& errors);
  std::shared_ptr<plugins::PluginInstance> create(const config::PluginBlock& block, const std::string& label,
                                                  std::vector<std::string>& errors);

  std::unique_ptr<plugins::PluginRegistry> registry_;
  config::Config config_;
  std::map<std::string, pipeline::Pipeline> pipelines_;
  std::vector<Inbox> inboxes_;
  bool started_ = false;
};

// Loads the registry a config asks for: first-party dirs next to the binary,
// then service.plugin_dirs (each of which must exist).
std::unique_ptr<plugins::PluginRegistry> load_plugins(const std::filesystem::path& executable,
                                                      const std::vector<std::filesystem::path>& plugin_dirs);

}  // namespace switchboard::app
