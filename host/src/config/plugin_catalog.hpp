// The plugins a config may name, as validation sees them: descriptors by name.
// The plugin loader implements PluginCatalog over what it loaded;
// DescriptorCatalog serves tests and tools that hold descriptors in memory.
#pragma once

#include <switchboard/plugin.h>

#include <string>
#include <vector>

namespace switchboard::config {

// Read-only during validation; implementations must allow calls from the
// validating thread while the catalog is alive.
class PluginCatalog {
 public:
  virtual ~PluginCatalog() = default;
  // The descriptor of `name`, or nullptr when no such plugin is known.
  virtual const sb_plugin_v1* find(const std::string& name) const = 0;
  // Every known plugin name, sorted; for "available: …" in error messages.
  virtual std::vector<std::string> names() const = 0;
};

// A catalog over descriptors with static storage (or that outlive it).
class DescriptorCatalog final : public PluginCatalog {
 public:
  explicit DescriptorCatalog(std::vector<const sb_plugin_v1*> plugins);
  const sb_plugin_v1* find(const std::string& name) const override;
  std::vector<std::string> names() const override;

 private:
  std::vector<const sb_plugin_v1*> plugins_;
};

}  // namespace switchboard::config
