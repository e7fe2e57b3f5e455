// Turning a validated config into running instances.
#include "app/runtime.hpp"

#include "app/text_setup.hpp"

#include "config/load_result.hpp"
#include "log/logger.hpp"
#include "plugins/host_api.hpp"

namespace switchboard::app {

namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

// What config validation needs to know of the loaded plugins.
class RegistryCatalog final : public config::PluginCatalog {
 public:
  explicit RegistryCatalog(const plugins::PluginRegistry& registry) : registry_(registry) {}
  const sb_plugin_v1* find(const std::string& name) const override {
    auto module = registry_.find(name);
    return module ? &module->table() : nullptr;
  }
  std::vector<std::string> names() const override { return registry_.names(); }

 private:
  const plugins::PluginRegistry& registry_;
};

pipeline::OnError to_policy(config::OnError on_error) {
  switch (on_error) {
    case config::OnError::Continue: return pipeline::OnError::Continue;
    case config::OnError::Stop: return pipeline::OnError::Stop;
    case config::OnError::Handoff: return pipeline::OnError::Handoff;
  }
  return pipeline::OnError::Continue;
}

}  // namespace

StartupError::StartupError(std::vector<std::string> lines)
    : std::runtime_error(join(lines)), lines_(std::move(lines)) {}

std::unique_ptr<plugins::PluginRegistry> load_plugins(const std::filesystem::path& executable,
                                                      const std::vector<std::filesystem::path>& plugin_dirs) {
  auto registry = std::make_unique<plugins::PluginRegistry>(plugins::host_api());
  for (const auto& dir : plugins::PluginRegistry::default_dirs(executable)) registry->load_directory(dir, false);
  for (const auto& dir : plugin_dirs) registry->load_directory(dir, true);
  return registry;
}

Runtime::Runtime(std::unique_ptr<plugins::PluginRegistry> registry) : registry_(std::move(registry)) {}

std::unique_ptr<Runtime> Runtime::load(const std::filesystem::path& config_file,
                                       const std::filesystem::path& executable, Parts parts) {
  config::ConfigDocument document = config::read_config(config_file);
  return build(document, load_plugins(executable, document.service.plugin_dirs), parts);
}

std::unique_ptr<Runtime> Runtime::build(const config::ConfigDocument& document,
                                        std::unique_ptr<plugins::PluginRegistry> registry, Parts parts) {
  auto runtime = std::make_unique<Runtime>(std::move(registry));
  config::LoadResult loaded = config::validate_config(document, RegistryCatalog(*runtime->registry_));
  if (!loaded.config) throw StartupError(loaded.errors);
  runtime->config_ = std::move(*loaded.config);
  std::vector<std::string> errors;
  // Before any instance: handlers fold their packs in create().
  plugins::install_text_folder(load_text_folder(document.service, errors));
  runtime->build_pipelines(errors);
  runtime->build_inboxes(parts, errors);
  for (auto& line : errors) line = runtime->config_.file.string() + ": " + line;
  if (!errors.empty()) throw StartupError(std::move(errors));
  return runtime;
}

// Creates one instance; a failure is recorded so every instance gets checked.
std::shared_ptr<plugins::PluginInstance> Runtime::create(const config::PluginBlock& block, const std::string& label,
                                                         std::vector<std::string>& errors) {
  try {
    return plugins::PluginInstance::create(registry_->find(block.plugin), label, block.config);
  } catch (const plugins::PluginError& e) {
    errors.push_back(block.pointer + ": " + e.what());
    return nullptr;
  }
}

void Runtime::build_pipelines(std::vector<std::string>& errors) {
  for (const auto& [name, spec] : config_.pipelines) {
    pipeline::Pipeline built{name, {}, spec.handoff_queue};
    std::map<std::string, int> seen;  // per plugin, so scopes survive inserting other steps
    for (std::size_t i = 0; i < spec.steps.size(); ++i) {
      const config::StepConfig& step = spec.steps[i];
      const std::string& plugin = step.block.plugin;
      std::string label = "pipeline '" + name + "' step " + std::to_string(i);
      auto instance = create(step.block, label, errors);
      if (!instance) continue;
      std::string scope = name + "/" + plugin + "/" + std::to_string(seen[plugin]++);
      built.steps.push_back(pipeline::Step{plugin, scope, std::move(instance), to_policy(step.on_error)});
    }
    pipelines_.emplace(name, std::move(built));
  }
}

void Runtime::build_inboxes(Parts parts, std::vector<std::string>& errors) {
  for (const auto& spec : config_.inboxes) {
    Inbox inbox{spec, nullptr, &pipelines_.at(spec.pipeline)};
    if (parts == Parts::Everything) {
      inbox.channel = create(spec.channel, "inbox '" + spec.id + "'", errors);
    }
    inboxes_.push_back(std::move(inbox));
  }
}

Runtime::~Runtime() { stop(); }

void Runtime::connect_inbound(const InboundSink& sink) {
  for (auto& inbox : inboxes_) {
    if (!inbox.channel) continue;
    inbox.channel->set_inbound_sink(
        [sink, id = inbox.config.id](std::string_view event_json) { return sink(id, event_json); });
  }
}

void Runtime::connect_key_value(plugins::KeyValue& kv) {
  for (auto& inbox : inboxes_) {
    if (inbox.channel) inbox.channel->set_key_value(&kv, "inbox/" + inbox.config.id);
  }
  for (auto& [name, p] : pipelines_) {
    for (auto& step : p.steps) step.instance->set_key_value(&kv, "step/" + step.scope);
  }
}

void Runtime::start() {
  if (started_) return;
  for (auto& [name, p] : pipelines_) {
    for (auto& step : p.steps) step.instance->start();
  }
  for (auto& inbox : inboxes_) {
    if (inbox.channel) inbox.channel->start();
  }
  started_ = true;
}

void Runtime::stop() {
  if (!started_) return;
  for (auto it = inboxes_.rbegin(); it != inboxes_.rend(); ++it) {
    if (it->channel) it->channel->stop();
  }
  for (auto& [name, p] : pipelines_) {
    for (auto& step : p.steps) step.instance->stop();
  }
  started_ = false;
}

const Inbox* Runtime::inbox(const std::string& id) const {
  for (const auto& inbox : inboxes_) {
    if (inbox.config.id == id) return &inbox;
  }
  return nullptr;
}

}  // namespace switchboard::app
