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
  int64_t workers = 0;         // 0: processing_workers() derives it from the CPU count
  int64_t outbox_workers = 0;  // 0: outbox_senders() derives it from the CPU count
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

// Thread counts in force, with 0 ("auto") resolved against `cpus`
// (std::thread::hardware_concurrency(); 0 when unknown). Every processing
// thread competes for the CPU with the HTTP threads that acknowledge
// webhooks, so auto keeps processing to half the cores (at least one). A
// sender mostly waits (on the network, then on the commit of its result),
// so auto runs one per core but at least four, enough for the outbox to keep
// up with one processing worker.
std::size_t processing_workers(const ServiceConfig& config, unsigned cpus);
std::size_t outbox_senders(const ServiceConfig& config, unsigned cpus);

}  // namespace switchboard::config
