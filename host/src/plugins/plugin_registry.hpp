// The set of plugins this process knows: first-party ones found next to the
// binary, plus partner plugins from service.plugin_dirs.
//
// A bad library never stops the host: it is refused with one line naming the
// file and the reason, and the rest load. Filled once at start-up (and on
// reload) from one thread; read-only afterwards.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plugins/plugin_module.hpp"

namespace switchboard::plugins {

class PluginRegistry {
 public:
  explicit PluginRegistry(const sb_host_v1& host);

  // Where first-party plugins live relative to the binary: <bin>/../plugins
  // (build tree) and <bin>/../lib/switchboard/plugins (install prefix).
  static std::vector<std::filesystem::path> default_dirs(const std::filesystem::path& executable);

  // Loads every *.so in dir, in file-name order. A missing dir is skipped
  // unless `required`, in which case it is recorded as a refusal.
  void load_directory(const std::filesystem::path& dir, bool required);

  // Loads one library; false (and a refusal) when it is refused.
  bool load_file(const std::filesystem::path& file);

  std::shared_ptr<const PluginModule> find(const std::string& name) const;
  std::vector<std::shared_ptr<const PluginModule>> modules() const;  // by name
  std::vector<std::string> names() const;

  // "file: reason" lines, in the order they happened.
  const std::vector<std::string>& refusals() const { return refusals_; }

 private:
  void refuse(const std::string& line);

  const sb_host_v1& host_;
  std::map<std::string, std::shared_ptr<const PluginModule>> by_name_;
  std::vector<std::filesystem::path> seen_;  // canonical paths already loaded
  std::vector<std::string> refusals_;
};

}  // namespace switchboard::plugins
