// Validation of one plugin block. Order matters: ${VAR} coercion before the
// schema's type check, secrets before defaults are filled (a default is not
// "written in the file"), paths after (defaults may be paths too).
#include "config/plugin_block.hpp"

#include "config/resolve_path.hpp"

#include <switchboard/config_schema.hpp>
#include <switchboard/sdk.hpp>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace switchboard::config {

namespace {

const char* kind_name(int32_t kind) {
  switch (kind) {
    case SB_KIND_CHANNEL: return "channel";
    case SB_KIND_HANDLER: return "handler";
    default: return "plugin of unknown kind";
  }
}

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

std::string unknown_plugin_message(const std::string& name, int32_t kind, const PluginCatalog& plugins) {
  std::vector<std::string> candidates;
  for (const std::string& candidate : plugins.names()) {
    const sb_plugin_v1* plugin = plugins.find(candidate);
    if (plugin != nullptr && plugin->kind == kind) candidates.push_back(candidate);
  }
  std::string message = "unknown plugin '" + name + "'";
  if (candidates.empty()) {
    return message + "; no " + kind_name(kind) + " plugins were found (check service.plugin_dirs)";
  }
  // sdk's edit distance is what "did you mean" uses for config keys too.
  std::string best;
  std::size_t best_distance = 3;  // suggest only close matches
  for (const std::string& candidate : candidates) {
    std::size_t distance = sdk::detail::edit_distance(name, candidate);
    if (distance < best_distance) best_distance = distance, best = candidate;
  }
  message += "; available " + std::string(kind_name(kind)) + " plugins: " + join(candidates);
  return best.empty() ? message : message + "; did you mean '" + best + "'?";
}

const sb_plugin_v1* find_plugin(const std::string& name, int32_t kind, const JsonPointer& at,
                                const PluginCatalog& plugins, Diagnostics& errors) {
  const sb_plugin_v1* plugin = plugins.find(name);
  if (plugin == nullptr) {
    errors.add(at, unknown_plugin_message(name, kind, plugins));
    return nullptr;
  }
  if (plugin->kind != kind) {
    errors.add(at, "plugin '" + name + "' is a " + kind_name(plugin->kind) + ", not a " + kind_name(kind));
    return nullptr;
  }
  return plugin;
}

std::optional<nlohmann::json> parse_integer(const std::string& text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return nlohmann::json(value);
}

std::optional<nlohmann::json> parse_number(const std::string& text) {
  // "8080" stays an integer, as it would be had it been written in the file.
  if (std::optional<nlohmann::json> integer = parse_integer(text)) return integer;
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  // from_chars also reads "inf" and "nan", which JSON cannot hold.
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return nlohmann::json(value);
}

std::optional<nlohmann::json> coerce(const std::string& text, int32_t type) {
  switch (type) {
    case SB_FIELD_BOOLEAN:
      if (text == "true" || text == "false") return nlohmann::json(text == "true");
      return std::nullopt;
    case SB_FIELD_INTEGER: return parse_integer(text);
    default: return parse_number(text);
  }
}

const char* type_phrase(int32_t type) {
  switch (type) {
    case SB_FIELD_INTEGER: return "an integer";
    case SB_FIELD_NUMBER: return "a number";
    default: return "a boolean (true or false)";
  }
}

// "${PORT:-8080}" for an integer field: the environment can only give text,
// so a value that was exactly one ${...} takes the field's declared type.
void coerce_env_values(const sb_plugin_v1& plugin, nlohmann::json& config, const JsonPointer& at,
                       const ConfigDocument& doc, Diagnostics& errors) {
  for (uint32_t i = 0; i < plugin.config_field_count; ++i) {
    const sb_config_field_v1& field = sdk::field_at(plugin, i);
    if (field.type != SB_FIELD_INTEGER && field.type != SB_FIELD_NUMBER && field.type != SB_FIELD_BOOLEAN) continue;
    auto it = config.find(field.name);
    std::string pointer = (at / field.name).to_string();
    if (it == config.end() || !it->is_string() || !doc.env.single_expression(pointer)) continue;
    if (doc.env.unresolved.count(pointer) != 0) continue;
    if (std::optional<nlohmann::json> value = coerce(it->get<std::string>(), field.type)) {
      *it = *value;
      continue;
    }
    // A secret's value is never printed, not even a wrong one.
    bool secret = (field.flags & SB_FIELD_SECRET) != 0;
    std::string given = secret ? "a value" : "\"" + it->get<std::string>() + "\"";
    errors.add(at / field.name, "the environment gave " + given + ", which is not " + type_phrase(field.type));
    errors.silence({pointer});  // the schema's "expected integer, got string" would say it again, worse
  }
}

bool from_environment(const nlohmann::json& value, const JsonPointer& at, const EnvOrigins& env) {
  if (value.is_string()) return env.from_environment(at.to_string());
  if (!value.is_array() || value.empty()) return false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!from_environment(value[i], at / i, env)) return false;
  }
  return true;
}

// A variable name to suggest: zalo_oa's "secret" -> ZALO_OA_SECRET.
std::string suggested_variable(const sb_plugin_v1& plugin, const sb_config_field_v1& field) {
  std::string name = std::string(plugin.name) + "_" + field.name;
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(c)) : '_';
  return name;
}

void check_secrets(const sb_plugin_v1& plugin, const nlohmann::json& config, const JsonPointer& at,
                   const ConfigDocument& doc, Diagnostics& errors) {
  for (uint32_t i = 0; i < plugin.config_field_count; ++i) {
    const sb_config_field_v1& field = sdk::field_at(plugin, i);
    if ((field.flags & SB_FIELD_SECRET) == 0) continue;
    auto it = config.find(field.name);
    if (it == config.end() || from_environment(*it, at / field.name, doc.env)) continue;
    errors.add(at / field.name, "secret: must not be written in the file; set it from the environment, e.g. \"${" +
                                    suggested_variable(plugin, field) + "}\"");
  }
}

void resolve_paths(const sb_plugin_v1& plugin, nlohmann::json& config, const std::filesystem::path& base_dir) {
  auto resolve = [&](nlohmann::json& value) {
    // An empty path means "not set"; resolving it would name the config folder.
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) return;
    value = resolve_path(base_dir, value.get<std::string>()).string();
  };
  for (uint32_t i = 0; i < plugin.config_field_count; ++i) {
    const sb_config_field_v1& field = sdk::field_at(plugin, i);
    auto it = config.find(field.name);
    if (it == config.end()) continue;
    if (field.type == SB_FIELD_PATH) resolve(*it);
    if (field.type == SB_FIELD_PATH_ARRAY && it->is_array()) {
      for (nlohmann::json& item : *it) resolve(item);
    }
  }
}

}  // namespace

std::optional<PluginBlock> read_plugin_block(const nlohmann::json& block, const JsonPointer& at, int32_t kind,
                                             const PluginCatalog& plugins, const ConfigDocument& doc,
                                             Diagnostics& errors) {
  auto name = block.find("plugin");
  if (name == block.end() || !name->is_string()) return std::nullopt;  // the section schema reported it
  const sb_plugin_v1* plugin = find_plugin(name->get<std::string>(), kind, at / "plugin", plugins, errors);
  if (plugin == nullptr) return std::nullopt;

  nlohmann::json config = block.value("config", nlohmann::json::object());
  if (!config.is_object()) return std::nullopt;  // the section schema reported it
  const JsonPointer config_at = at / "config";
  coerce_env_values(*plugin, config, config_at, doc, errors);
  check_secrets(*plugin, config, config_at, doc, errors);
  for (const sdk::ConfigIssue& issue : sdk::apply_config_schema(*plugin, config)) {
    errors.add(JsonPointer(config_at.to_string() + issue.path), issue.message);
  }
  resolve_paths(*plugin, config, doc.base_dir);
  return PluginBlock{name->get<std::string>(), std::move(config), at.to_string()};
}

}  // namespace switchboard::config
