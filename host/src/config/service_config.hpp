// The "service" section: how the host itself runs. Read in phase 1, before
// plugins are loaded, because plugin_dirs says where to load them from.
#pragma once

#include "config/diagnostics.hpp"

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace switchboard::config {

// Defaults match the service schema in section_schema.cpp (a test keeps them
// in step); paths are absolute once read.
struct ServiceConfig {
  std::string listen = "127.0.0.1:8080";
  std::filesystem::path data_dir;  // default: "./data" next to the config file
  std::vector<std::filesystem::path> plugin_dirs;
  std::filesystem::path shorthand;  // empty: the installed intents/shorthand.json
  std::string timezone = "Asia/Ho_Chi_Minh";
  std::string log_level = "info";
  int64_t http_threads = 64;
  int64_t max_body_bytes = 1048576;
  int64_t read_timeout_ms = 5000;
  int64_t workers = 4;
  int64_t outbox_workers = 8;
  int64_t outbox_max_attempts = 12;
  int64_t retry_base_ms = 1000;
  int64_t retry_max_ms = 600000;
  int64_t retention_days = 0;  // 0: keep resolved conversations forever
};

// Reads `service` (schema-checked, defaults filled; wrong-typed keys fall back
// to defaults) and checks the values: listen address, time zone (a TZif file
// under `zoneinfo_dir`), log level. Paths resolve against `base_dir`.
ServiceConfig read_service(const nlohmann::json& service, const std::filesystem::path& base_dir,
                           const std::filesystem::path& zoneinfo_dir, Diagnostics& errors);

}  // namespace switchboard::config
