#include "harness/deployment.hpp"

#include <nlohmann/json.hpp>
#include <thread>

namespace switchboard::integration {

namespace {

std::string config_text(const HostSettings& s, const std::filesystem::path& data_dir, const std::string& callback) {
  nlohmann::json config = {
      {"service",
       {{"listen", "127.0.0.1:0"},
        {"data_dir", data_dir.string()},
        {"workers", s.workers},
        {"outbox_workers", s.outbox_workers},
        {"retry_base_ms", s.retry_base_ms},
        {"retry_max_ms", s.retry_max_ms},
        {"outbox_max_attempts", s.outbox_max_attempts},
        {"max_body_bytes", s.max_body_bytes}}},
      {"inboxes",
       {{{"id", kInbox},
         {"channel",
          {{"plugin", "api"},
           {"config",
            {{"secret", "${SB_SECRET}"}, {"callback_url", callback}, {"timeout_ms", s.callback_timeout_ms}}}}},
         {"pipeline", "main"}}}},
      {"pipelines", {{"main", {{"steps", {{{"plugin", "reply"}, {"config", {{"text", s.reply_text}}}}}}}}}},
  };
  config.merge_patch(s.config_patch);
  return "// written by the integration test harness\n" + config.dump(2) + "\n";
}

}  // namespace

Deployment::Deployment(HostSettings settings) : settings_(std::move(settings)), dir_("sb_it"), receiver_(kSecret) {
  config_ = dir_.write("switchboard.json", config_text(settings_, data_dir(), receiver_.url()));
}

std::unique_ptr<HostProcess> Deployment::start() const {
  HostProcess::Environment environment = settings_.environment;
  environment["SB_SECRET"] = kSecret;
  return std::make_unique<HostProcess>(config_, environment);
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds deadline, std::chrono::milliseconds poll) {
  auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace switchboard::integration
