// HTTP calls of an agent, and the credentials CLI through Boost.Process.
#include "harness/agent_client.hpp"

#include <doctest/doctest.h>

#include <boost/process.hpp>

namespace switchboard::integration {

namespace bp = boost::process;
using nlohmann::json;

int AgentClient::login(const std::string& password) {
  auto res = client_.Post("/api/v1/login", json{{"agent", id_}, {"password", password}}.dump(), "application/json");
  if (res && res->status == 200) token_ = json::parse(res->body).at("token");
  return res ? res->status : 0;
}

std::pair<int, json> AgentClient::call(const std::string& method, const std::string& path, const json& body) {
  httplib::Headers headers;
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  httplib::Result res = method == "GET"      ? client_.Get(path, headers)
                        : method == "PUT"    ? client_.Put(path, headers, body.dump(), "application/json")
                        : method == "DELETE" ? client_.Delete(path, headers)
                                             : client_.Post(path, headers, body.dump(), "application/json");
  if (!res) return {0, json()};
  return {res->status, json::parse(res->body.empty() ? "{}" : res->body, nullptr, false)};
}

void AgentClient::online() { REQUIRE(call("PUT", "/api/v1/me/presence", {{"status", "online"}}).first == 200); }

json AgentClient::conversation(int64_t id) { return call("GET", "/api/v1/conversations/" + std::to_string(id)).second; }

int agent_cli(const std::filesystem::path& config, const std::vector<std::string>& args, const std::string& input,
              const HostProcess::Environment& environment) {
  bp::opstream in;
  std::vector<std::string> all = {"agent"};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"--config", config.string()});
  bp::environment env = boost::this_process::environment();
  for (const auto& [name, value] : environment) env[name] = value;
  bp::child child(SWITCHBOARD_BINARY, all, env, bp::std_in<in, bp::std_out> bp::null, bp::std_err > bp::null);
  in << input << std::endl;
  in.pipe().close();
  child.wait();
  return child.exit_code();
}

}  // namespace switchboard::integration
