// An agent at the REST API (/api/v1) of a running host, and the
// `switchboard agent` CLI that sets agents' passwords before.
// Threads: one test thread per AgentClient.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "harness/host_process.hpp"

namespace switchboard::integration {

class AgentClient {
 public:
  AgentClient(int port, std::string id) : client_("127.0.0.1", port), id_(std::move(id)) {}

  // POST /api/v1/login; keeps the token on success. Returns the status.
  int login(const std::string& password);
  // Any route, with the bearer token when there is one: {status, body}.
  std::pair<int, nlohmann::json> call(const std::string& method, const std::string& path,
                                      const nlohmann::json& body = nlohmann::json::object());
  void online();
  nlohmann::json conversation(int64_t id);
  std::string token() const { return token_; }
  void forget_token(std::string token) { token_ = std::move(token); }

 private:
  httplib::Client client_;
  std::string id_;
  std::string token_;
};

// `switchboard agent ARGS --config CONFIG` with `input` on stdin; the exit code.
int agent_cli(const std::filesystem::path& config, const std::vector<std::string>& args, const std::string& input,
              const HostProcess::Environment& environment);

}  // namespace switchboard::integration
