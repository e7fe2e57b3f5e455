// A loaded plugin library and its validated descriptor table.
//
// Instances hold a shared_ptr to their module, so the library stays mapped
// until the last instance (and any call in flight through it) is gone.
// Immutable after load: any thread may read it.
#pragma once

#include <switchboard/plugin.h>

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace switchboard::plugins {

// Why a library was refused; what() is "file: reason", one line.
class PluginLoadError : public std::runtime_error {
 public:
  PluginLoadError(const std::filesystem::path& file, const std::string& reason)
      : std::runtime_error(file.string() + ": " + reason), reason_(reason) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

class PluginModule {
 public:
  // Loads `file`, calls its entry with `host` and validates the table.
  // Throws PluginLoadError naming the file and the reason.
  static std::shared_ptr<const PluginModule> load(const std::filesystem::path& file, const sb_host_v1& host);

  const sb_plugin_v1& table() const { return *table_; }
  std::string name() const { return table_->name; }
  std::string version() const { return table_->version; }
  int32_t kind() const { return table_->kind; }
  bool thread_safe() const { return (table_->flags & SB_PLUGIN_THREAD_SAFE) != 0; }
  const std::filesystem::path& path() const { return path_; }

  PluginModule(boost::dll::shared_library library, const sb_plugin_v1* table, std::filesystem::path path)
      : library_(std::move(library)), table_(table), path_(std::move(path)) {}

 private:
  boost::dll::shared_library library_;  // declared first: outlives table_, which points into it
  const sb_plugin_v1* table_;
  std::filesystem::path path_;
};

const char* kind_name(int32_t kind);

}  // namespace switchboard::plugins
