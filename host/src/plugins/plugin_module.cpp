// Loading and validating one plugin library. Every refusal names the file and
// one precise reason, because operators read these lines when a partner's
// build does not load.
#include "plugins/plugin_module.hpp"

#include <switchboard/config_schema.hpp>

#include <dlfcn.h>
#include <boost/dll/shared_library.hpp>
#include <boost/system/system_error.hpp>
#include <cstddef>

namespace switchboard::plugins {
namespace {

// The smallest tables that carry all of ABI 1.0.
constexpr std::size_t kMinPluginSize = offsetof(sb_plugin_v1, may_send) + sizeof(void*);
constexpr std::size_t kMinFieldSize = sizeof(sb_config_field_v1);

std::string other_major_hint(const boost::dll::shared_library& lib) {
  for (int major = 0; major <= 9; ++major) {
    if (major == SB_ABI_MAJOR) continue;
    if (lib.has("sb_plugin_entry_v" + std::to_string(major))) {
      return "built for plugin ABI major " + std::to_string(major) + ", this host speaks " +
             std::to_string(SB_ABI_MAJOR);
    }
  }
  return "no symbol " SB_PLUGIN_ENTRY_V1 " (not a Switchboard plugin, or built for another ABI major)";
}

bool valid_name(const char* name) {
  if (name == nullptr || *name == '\0') return false;
  for (const char* p = name; *p != '\0'; ++p) {
    bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (!ok) return false;
  }
  return true;
}

std::string check_field(const sb_config_field_v1& f, uint32_t index) {
  std::string where = "config field #" + std::to_string(index);
  if (f.name == nullptr || *f.name == '\0') return where + " has no name";
  where = "config field '" + std::string(f.name) + "'";
  if (f.type < SB_FIELD_STRING || f.type > SB_FIELD_PATH_ARRAY)
    return where + " has unknown type " + std::to_string(f.type);
  if (f.default_json == nullptr) return {};
  auto value = sdk::Json::parse(f.default_json, nullptr, false);
  if (value.is_discarded()) return where + " has a default that is not JSON";
  if (!sdk::field_type_matches(f.type, value)) return where + " has a default of the wrong type";
  return {};
}

// Returns the reason the table is unusable, or "" when it is fine.
std::string check_table(const sb_plugin_v1& t) {
  if (t.abi_major != SB_ABI_MAJOR) {
    return "plugin ABI major " + std::to_string(t.abi_major) + ", this host speaks " + std::to_string(SB_ABI_MAJOR);
  }
  if (t.struct_size < kMinPluginSize) {
    return "plugin table too small: " + std::to_string(t.struct_size) + " bytes, ABI 1.0 needs at least " +
           std::to_string(kMinPluginSize);
  }
  if (!valid_name(t.name)) return "plugin name must be non-empty [a-z0-9_]";
  if (t.version == nullptr) return "plugin '" + std::string(t.name) + "' has no version";
  if (t.kind != SB_KIND_CHANNEL && t.kind != SB_KIND_HANDLER) return "unknown plugin kind " + std::to_string(t.kind);
  if (t.create == nullptr || t.destroy == nullptr) return "create and destroy are required";
  if (t.kind == SB_KIND_HANDLER && t.on_message == nullptr) return "a handler must implement on_message";
  if (t.kind == SB_KIND_CHANNEL && t.send == nullptr) return "a channel must implement send";
  if (t.config_field_count == 0) return {};
  if (t.config_fields == nullptr) return "config_field_count is set but config_fields is NULL";
  if (t.config_field_size < kMinFieldSize) {
    return "config field descriptors too small: " + std::to_string(t.config_field_size) + " bytes, need " +
           std::to_string(kMinFieldSize);
  }
  for (uint32_t i = 0; i < t.config_field_count; ++i) {
    std::string problem = check_field(sdk::field_at(t, i), i);
    if (!problem.empty()) return problem;
  }
  return {};
}

}  // namespace

std::shared_ptr<const PluginModule> PluginModule::load(const std::filesystem::path& file, const sb_host_v1& host) {
  namespace dll = boost::dll;
  dll::shared_library lib;
  boost::system::error_code ec;
  // RTLD_NOW: an unresolved symbol is reported here, not as a crash mid-call.
  lib.load(dll::fs::path(file.string()), dll::load_mode::rtld_now | dll::load_mode::rtld_local, ec);
  if (ec) {
    // Boost.DLL reports a generic error code; dlerror() still holds the real reason.
    const char* error = ::dlerror();
    std::string why = error != nullptr ? error : ec.message();
    std::string prefix = file.string() + ": ";
    if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());  // the file is named once already
    throw PluginLoadError(file, "cannot load library: " + why);
  }
  if (!lib.has(SB_PLUGIN_ENTRY_V1)) throw PluginLoadError(file, other_major_hint(lib));

  auto entry = lib.get<const sb_plugin_v1*(const sb_host_v1*)>(SB_PLUGIN_ENTRY_V1);
  const sb_plugin_v1* table = entry(&host);
  if (table == nullptr) throw PluginLoadError(file, SB_PLUGIN_ENTRY_V1 " returned NULL (the plugin refused this host)");
  std::string problem = check_table(*table);
  if (!problem.empty()) throw PluginLoadError(file, problem);
  return std::make_shared<const PluginModule>(std::move(lib), table, file);
}

const char* kind_name(int32_t kind) {
  switch (kind) {
    case SB_KIND_CHANNEL: return "channel";
    case SB_KIND_HANDLER: return "handler";
    default: return "unknown";
  }
}

}  // namespace switchboard::plugins
