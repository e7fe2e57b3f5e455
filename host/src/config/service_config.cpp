// Checks of the service section's values; types and unknown keys are the
// schema's job (section_schema.cpp).
#include "config/service_config.hpp"

#include "config/listen_address.hpp"
#include "config/resolve_path.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>

namespace switchboard::config {

namespace {

const JsonPointer kService("/service");

std::string string_or(const nlohmann::json& service, const char* key, const std::string& fallback) {
  auto it = service.find(key);
  return it != service.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// Reads a positive integer key; a non-positive one is reported and defaulted.
int64_t positive_or(const nlohmann::json& service, const char* key, int64_t fallback, Diagnostics& errors) {
  auto it = service.find(key);
  if (it == service.end() || !it->is_number_integer()) return fallback;
  int64_t value = it->get<int64_t>();
  if (value > 0) return value;
  errors.add(kService / key, "must be a positive integer");
  return fallback;
}

// Reads a thread count where 0 means "derive it from the CPU count".
int64_t count_or_auto(const nlohmann::json& service, const char* key, int64_t fallback, Diagnostics& errors) {
  auto it = service.find(key);
  if (it == service.end() || !it->is_number_integer()) return fallback;
  int64_t value = it->get<int64_t>();
  if (value >= 0) return value;
  errors.add(kService / key, "must be 0 (derived from the CPU count) or a positive integer");
  return fallback;
}

void check_listen(const std::string& listen, Diagnostics& errors) {
  std::string why;
  if (parse_listen_address(listen, why)) return;
  errors.add(kService / "listen", "must be host:port, e.g. 127.0.0.1:8080: " + why);
}

bool plausible_zone_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string("/_+-").find(c) == std::string::npos) return false;
  }
  return true;
}

// The zoneinfo folder also holds tables (zone.tab, tzdata.zi…); only files
// starting with the TZif magic are zones.
bool is_zone_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return false;
  std::ifstream in(file, std::ios::binary);
  std::array<char, 4> magic{};
  return in.read(magic.data(), magic.size()) && std::string(magic.data(), magic.size()) == "TZif";
}

void check_timezone(const std::string& name, const std::filesystem::path& zoneinfo_dir, Diagnostics& errors) {
  const JsonPointer at = kService / "timezone";
  std::error_code ec;
  if (!std::filesystem::is_directory(zoneinfo_dir, ec)) {
    errors.add(at, "cannot check time zone '" + name + "': " + zoneinfo_dir.string() +
                       " does not exist (install tzdata or set TZDIR)");
    return;
  }
  if (plausible_zone_name(name) && is_zone_file(zoneinfo_dir / name)) return;
  errors.add(at, "unknown time zone '" + name + "'; use an IANA name such as Asia/Ho_Chi_Minh (see " +
                     zoneinfo_dir.string() + ")");
}

void check_log_level(const std::string& level, Diagnostics& errors) {
  for (const char* known : {"debug", "info", "warn", "error"}) {
    if (level == known) return;
  }
  errors.add(kService / "log_level", "must be one of debug, info, warn, error");
}

std::filesystem::path read_data_dir(const nlohmann::json& service, const std::filesystem::path& base_dir,
                                    Diagnostics& errors) {
  std::string data_dir = string_or(service, "data_dir", "./data");
  if (data_dir.empty()) {
    errors.add(kService / "data_dir", "must not be empty");
    data_dir = "./data";
  }
  return resolve_path(base_dir, data_dir);
}

std::vector<std::filesystem::path> read_plugin_dirs(const nlohmann::json& service,
                                                    const std::filesystem::path& base_dir, Diagnostics& errors) {
  std::vector<std::filesystem::path> dirs;
  auto it = service.find("plugin_dirs");
  if (it == service.end() || !it->is_array()) return dirs;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const nlohmann::json& dir = (*it)[i];
    if (!dir.is_string()) continue;  // the schema reported it
    if (dir.get_ref<const std::string&>().empty()) {
      errors.add(kService / "plugin_dirs" / i, "must not be empty");
      continue;
    }
    dirs.push_back(resolve_path(base_dir, dir.get<std::string>()));
  }
  return dirs;
}

}  // namespace

ServiceConfig read_service(const nlohmann::json& service, const std::filesystem::path& base_dir,
                           const std::filesystem::path& zoneinfo_dir, Diagnostics& errors) {
  ServiceConfig config;
  config.listen = string_or(service, "listen", config.listen);
  config.data_dir = read_data_dir(service, base_dir, errors);
  config.plugin_dirs = read_plugin_dirs(service, base_dir, errors);
  std::string shorthand = string_or(service, "shorthand", "");
  if (!shorthand.empty()) config.shorthand = resolve_path(base_dir, shorthand);
  config.timezone = string_or(service, "timezone", config.timezone);
  config.log_level = string_or(service, "log_level", config.log_level);
  config.http_threads = positive_or(service, "http_threads", config.http_threads, errors);
  config.max_body_bytes = positive_or(service, "max_body_bytes", config.max_body_bytes, errors);
  config.read_timeout_ms = positive_or(service, "read_timeout_ms", config.read_timeout_ms, errors);
  config.workers = count_or_auto(service, "workers", config.workers, errors);
  config.outbox_workers = count_or_auto(service, "outbox_workers", config.outbox_workers, errors);
  config.outbox_max_attempts = positive_or(service, "outbox_max_attempts", config.outbox_max_attempts, errors);
  config.retry_base_ms = positive_or(service, "retry_base_ms", config.retry_base_ms, errors);
  config.retry_max_ms = positive_or(service, "retry_max_ms", config.retry_max_ms, errors);
  if (config.retry_max_ms < config.retry_base_ms) errors.add(kService / "retry_max_ms", "must be >= retry_base_ms");
  config.retention_days = service.value("retention_days", int64_t{0});
  if (config.retention_days < 0) errors.add(kService / "retention_days", "must be 0 (keep) or a number of days");
  check_listen(config.listen, errors);
  check_timezone(config.timezone, zoneinfo_dir, errors);
  check_log_level(config.log_level, errors);
  return config;
}

std::size_t processing_workers(const ServiceConfig& config, unsigned cpus) {
  if (config.workers > 0) return static_cast<std::size_t>(config.workers);
  return std::max<std::size_t>(1, cpus / 2);
}

std::size_t outbox_senders(const ServiceConfig& config, unsigned cpus) {
  if (config.outbox_workers > 0) return static_cast<std::size_t>(config.outbox_workers);
  return std::max<std::size_t>(4, cpus);
}

}  // namespace switchboard::config
