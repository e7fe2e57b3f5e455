// One switchboard installation for a test: a temp folder holding the config
// and data_dir, the callback receiver its api inbox "web" replies to, and
// start() for as many host runs on that data_dir as the test needs.
// Threads: the test thread.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "harness/callback_receiver.hpp"
#include "harness/host_process.hpp"
#include "harness/store_reader.hpp"
#include "harness/temp_dir.hpp"

namespace switchboard::integration {

inline constexpr const char* kSecret = "integration-secret-0123456789";
inline constexpr const char* kInbox = "web";

// The service and channel settings a test may vary; the rest is fixed.
struct HostSettings {
  int workers = 4;
  int outbox_workers = 8;
  int retry_base_ms = 100;
  int retry_max_ms = 1000;
  int outbox_max_attempts = 12;
  int max_body_bytes = 65536;
  int callback_timeout_ms = 2000;
  std::string reply_text = "re:{text}";
  // RFC 7386 merge patch over the generated config (departments, agents,
  // other pipelines…); null removes a key.
  nlohmann::json config_patch = nlohmann::json::object();
  // Extra environment of every host run, e.g. SWITCHBOARD_TEST_CLOCK_FILE.
  HostProcess::Environment environment;
};

class Deployment {
 public:
  explicit Deployment(HostSettings settings = {});

  CallbackReceiver& receiver() { return receiver_; }
  const HostSettings& settings() const { return settings_; }
  std::filesystem::path data_dir() const { return dir_.path() / "data"; }
  const std::filesystem::path& config_file() const { return config_; }
  StoreReader store() const { return StoreReader(data_dir() / "switchboard.db"); }

  // Starts `switchboard run` on this deployment's config and data_dir.
  std::unique_ptr<HostProcess> start() const;

 private:
  HostSettings settings_;
  TempDir dir_;
  CallbackReceiver receiver_;
  std::filesystem::path config_;
};

// Polls `done` every few milliseconds until it holds; false on timeout.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds deadline,
                std::chrono::milliseconds poll = std::chrono::milliseconds(20));

}  // namespace switchboard::integration
