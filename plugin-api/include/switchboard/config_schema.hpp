// switchboard/config_schema.hpp — checks a plugin instance's config block
// against the fields its descriptor declares, and fills in defaults.
//
// Shared by the host (config validation, `switchboard check`) and by
// testing::FakeHost, so a plugin sees exactly the same config in its unit
// tests as in production.
#ifndef SWITCHBOARD_CONFIG_SCHEMA_HPP
#define SWITCHBOARD_CONFIG_SCHEMA_HPP

#include <switchboard/sdk.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace switchboard::sdk {

// One problem with a config block; path is a JSON pointer relative to the block.
struct ConfigIssue {
  std::string path;
  std::string message;
};

inline bool field_type_matches(int32_t type, const Json& value) {
  switch (type) {
    case SB_FIELD_STRING:
    case SB_FIELD_PATH: return value.is_string();
    case SB_FIELD_INTEGER: return value.is_number_integer();
    case SB_FIELD_NUMBER: return value.is_number();
    case SB_FIELD_BOOLEAN: return value.is_boolean();
    case SB_FIELD_STRING_ARRAY:
    case SB_FIELD_PATH_ARRAY:
      return value.is_array() && std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_string(); });
    case SB_FIELD_ARRAY: return value.is_array();
    case SB_FIELD_OBJECT: return value.is_object();
    default: return false;
  }
}

namespace detail {

// Edit distance, for "did you mean" on misspelt keys.
inline std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

inline std::string json_pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

inline std::string unknown_key_message(const sb_plugin_v1& plugin, const std::string& key) {
  std::string best;
  std::size_t best_distance = 3;  // suggest only close matches
  std::string known;
  for (uint32_t i = 0; i < plugin.config_field_count; ++i) {
    std::string name = field_at(plugin, i).name;
    known += (known.empty() ? "" : ", ") + name;
    std::size_t d = edit_distance(key, name);
    if (d < best_distance) best_distance = d, best = name;
  }
  std::string message = "unknown key for plugin '" + std::string(plugin.name) + "'";
  if (!best.empty()) return message + "; did you mean '" + best + "'?";
  if (known.empty()) return message + "; it takes no config";
  return message + "; expected one of: " + known;
}

}  // namespace detail

// Validates `config` in place: rejects unknown keys, checks types and required
// keys, and fills defaults for absent optional keys. Every issue is reported.
inline std::vector<ConfigIssue> apply_config_schema(const sb_plugin_v1& plugin, Json& config) {
  std::vector<ConfigIssue> issues;
  if (config.is_null()) config = Json::object();
  if (!config.is_object()) return {{"", "must be an object"}};

  for (auto it = config.begin(); it != config.end(); ++it) {
    bool known = false;
    for (uint32_t i = 0; i < plugin.config_field_count && !known; ++i) known = it.key() == field_at(plugin, i).name;
    if (!known)
      issues.push_back({"/" + detail::json_pointer_token(it.key()), detail::unknown_key_message(plugin, it.key())});
  }

  for (uint32_t i = 0; i < plugin.config_field_count; ++i) {
    const sb_config_field_v1& f = field_at(plugin, i);
    std::string path = "/" + detail::json_pointer_token(f.name);
    auto it = config.find(f.name);
    if (it == config.end()) {
      if (f.flags & SB_FIELD_REQUIRED) {
        issues.push_back({path, std::string("required ") + field_type_name(f.type) + " is missing"});
      } else if (f.default_json != nullptr) {
        config[f.name] = Json::parse(f.default_json);
      }
      continue;
    }
    if (!field_type_matches(f.type, *it)) {
      issues.push_back({path, std::string("expected ") + field_type_name(f.type) + ", got " + it->type_name()});
    }
  }
  return issues;
}

}  // namespace switchboard::sdk

#endif  // SWITCHBOARD_CONFIG_SCHEMA_HPP
