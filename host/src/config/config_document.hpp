// Phase 1 of loading a config: read the file, parse JSON with comments,
// substitute ${VAR}, check the top level and the service section. Runs before
// plugins are loaded, because service.plugin_dirs says where they are; phase 2
// (validate_config, load_result.hpp) checks the rest against their descriptors.
#pragma once

#include "config/env_substitution.hpp"
#include "config/environment.hpp"
#include "config/service_config.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace switchboard::config {

struct ConfigDocument {
  std::filesystem::path file;       // as given; error messages start with it
  std::filesystem::path base_dir;   // absolute folder of `file`: relative paths resolve against it
  nlohmann::json json;              // parsed and substituted; null when unreadable or malformed
  EnvOrigins env;                   // which strings came from ${VAR}, by JSON pointer
  ServiceConfig service;            // best effort even when there are errors
  std::vector<std::string> errors;  // formatted, see diagnostics.hpp; empty when phase 1 passed

  bool ok() const { return errors.empty(); }
};

// Never throws for bad input: every problem ends up in .errors. `env` also
// provides TZDIR, the time zone folder (default /usr/share/zoneinfo).
ConfigDocument read_config(const std::filesystem::path& file, const Environment& env = process_environment());

}  // namespace switchboard::config
