// The in-memory plugin catalog.
#include "config/plugin_catalog.hpp"

#include <algorithm>
#include <utility>

namespace switchboard::config {

DescriptorCatalog::DescriptorCatalog(std::vector<const sb_plugin_v1*> plugins) : plugins_(std::move(plugins)) {}

const sb_plugin_v1* DescriptorCatalog::find(const std::string& name) const {
  for (const sb_plugin_v1* plugin : plugins_) {
    if (plugin->name == name) return plugin;
  }
  return nullptr;
}

std::vector<std::string> DescriptorCatalog::names() const {
  std::vector<std::string> names;
  for (const sb_plugin_v1* plugin : plugins_) names.emplace_back(plugin->name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace switchboard::config
