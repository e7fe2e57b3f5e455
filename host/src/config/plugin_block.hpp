// A {"plugin": NAME, "config": {...}} block (an inbox's channel or a pipeline
// step), validated against the named plugin's descriptor.
#pragma once

#include "config/config_document.hpp"
#include "config/diagnostics.hpp"
#include "config/plugin_catalog.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace switchboard::config {

struct PluginBlock {
  std::string plugin;
  nlohmann::json config;  // validated; defaults filled, ${VAR}s coerced, paths absolute
  std::string pointer;    // JSON pointer of the block, e.g. "/inboxes/0/channel"
};

// Reads the block at `at` (already checked against its section schema). The
// plugin must exist and be of `kind` (SB_KIND_*); its config is checked with
// sdk::apply_config_schema after single-${VAR} values are coerced to the
// field's type, secrets must come from the environment, and path fields are
// resolved against doc.base_dir. nullopt when the plugin cannot be found.
std::optional<PluginBlock> read_plugin_block(const nlohmann::json& block, const JsonPointer& at, int32_t kind,
                                             const PluginCatalog& plugins, const ConfigDocument& doc,
                                             Diagnostics& errors);

}  // namespace switchboard::config
