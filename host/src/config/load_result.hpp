// Phase 2 of loading a config: with plugins loaded, check inboxes and
// pipelines against their descriptors. The result holds a Config only when
// phase 1 and phase 2 together found no error.
#pragma once

#include "config/config.hpp"
#include "config/config_document.hpp"
#include "config/plugin_catalog.hpp"

#include <optional>
#include <string>
#include <vector>

namespace switchboard::config {

struct LoadResult {
  std::optional<Config> config;     // set exactly when errors is empty
  std::vector<std::string> errors;  // phase-1 errors first, then phase 2's; formatted (diagnostics.hpp)
};

// Never throws for bad input. Plugin configs come back with defaults filled.
LoadResult validate_config(const ConfigDocument& doc, const PluginCatalog& plugins);

}  // namespace switchboard::config
