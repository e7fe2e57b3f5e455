// Discovery and loading of plugin libraries.
#include "plugins/plugin_registry.hpp"

#include <algorithm>
#include <system_error>

#include "log/logger.hpp"

namespace switchboard::plugins {

namespace fs = std::filesystem;

PluginRegistry::PluginRegistry(const sb_host_v1& host) : host_(host) {}

std::vector<fs::path> PluginRegistry::default_dirs(const fs::path& executable) {
  fs::path prefix = executable.parent_path().parent_path();
  return {prefix / "plugins", prefix / SWITCHBOARD_PLUGIN_INSTALL_DIR};
}

void PluginRegistry::load_directory(const fs::path& dir, bool required) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (required) refuse(dir.string() + ": plugin directory does not exist");
    return;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".so") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) load_file(file);
}

bool PluginRegistry::load_file(const fs::path& file) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(file, ec);
  if (ec) canonical = file;
  // The same file reached through two dirs is one plugin, not a duplicate.
  if (std::find(seen_.begin(), seen_.end(), canonical) != seen_.end()) return true;

  std::shared_ptr<const PluginModule> module;
  try {
    module = PluginModule::load(canonical, host_);
  } catch (const PluginLoadError& e) {
    refuse(e.what());
    return false;
  }
  auto existing = by_name_.find(module->name());
  if (existing != by_name_.end()) {
    refuse(canonical.string() + ": duplicate plugin name '" + module->name() + "' (already loaded from " +
           existing->second->path().string() + ")");
    return false;
  }
  seen_.push_back(canonical);
  log::debug("plugins", "loaded " + module->name() + " " + module->version() + " from " + canonical.string());
  by_name_.emplace(module->name(), std::move(module));
  return true;
}

std::shared_ptr<const PluginModule> PluginRegistry::find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const PluginModule>> PluginRegistry::modules() const {
  std::vector<std::shared_ptr<const PluginModule>> out;
  for (const auto& [name, module] : by_name_) out.push_back(module);
  return out;
}

std::vector<std::string> PluginRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, module] : by_name_) out.push_back(name);
  return out;
}

void PluginRegistry::refuse(const std::string& line) {
  log::error("plugins", "refused " + line);
  refusals_.push_back(line);
}

}  // namespace switchboard::plugins
