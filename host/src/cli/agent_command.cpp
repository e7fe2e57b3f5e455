// `switchboard agent add|passwd|disable|enable|list --config F [ID]`:
// credentials of the agents the config lists. Passwords are read from stdin
// (no echo on a terminal), never from the command line, where `ps` and shell
// history would keep them; only their Argon2id hash reaches the database.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "app/runtime.hpp"
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "log/logger.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "team/credentials.hpp"

namespace switchboard::cli {
namespace {

constexpr std::size_t kMinPasswordLength = 8;

std::string read_password() {
  bool tty = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (tty) {
    std::cerr << "Mật khẩu / Password: ";
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

struct AgentOptions {
  std::string file;
  std::string verb;
  std::string agent;
};

int run_agent(const AgentOptions& o) {
  log::set_level(log::Level::Warn);
  std::unique_ptr<app::Runtime> runtime;
  try {
    runtime = app::Runtime::load(o.file, executable_path(), app::Runtime::Parts::PipelinesOnly);
  } catch (const app::StartupError& e) {
    for (const auto& line : e.lines()) std::cerr << line << "\n";
    return kExitUsage;
  }
  const config::Config& config = runtime->config();
  store::SqliteStore store(config.service.data_dir / "switchboard.db");
  if (o.verb == "list") {
    for (const auto& agent : config.team.agents) {
      auto credential = store.credential(agent.id);
      std::string state = !credential ? "no password" : credential->disabled ? "disabled" : "active";
      std::cout << agent.id << "  " << config::to_string(agent.role) << "  " << state << "\n";
    }
    return kExitOk;
  }
  if (config.team.agent(o.agent) == nullptr) {
    std::cerr << "no agent '" << o.agent << "' in " << o.file << " (add it to /agents first)\n";
    return kExitUsage;
  }
  if (o.verb == "disable" || o.verb == "enable") {
    if (!store.set_agent_disabled(o.agent, o.verb == "disable")) {
      std::cerr << "agent '" << o.agent << "' has no password yet: use `switchboard agent add`\n";
      return kExitFailure;
    }
    std::cout << "agent " << o.agent << " " << o.verb << "d\n";
    return kExitOk;
  }
  bool exists = store.credential(o.agent).has_value();
  if (o.verb == "add" && exists) {
    std::cerr << "agent '" << o.agent << "' already has a password: use `switchboard agent passwd`\n";
    return kExitFailure;
  }
  if (o.verb == "passwd" && !exists) {
    std::cerr << "agent '" << o.agent << "' has no password yet: use `switchboard agent add`\n";
    return kExitFailure;
  }
  std::string password = read_password();
  if (password.size() < kMinPasswordLength) {
    std::cerr << "the password needs at least " << kMinPasswordLength << " characters\n";
    return kExitUsage;
  }
  store.set_password(o.agent, team::hash_password(password));  // also ends the agent's sessions
  std::cout << "password of " << o.agent << " set\n";
  return kExitOk;
}

}  // namespace

Action add_agent_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("agent", "Manage agent credentials: add, passwd, disable, enable, list");
  auto options = std::make_shared<AgentOptions>();
  cmd->add_option("verb", options->verb, "add | passwd | disable | enable | list")
      ->required()
      ->check(CLI::IsMember({"add", "passwd", "disable", "enable", "list"}));
  cmd->add_option("id", options->agent, "Agent id as in /agents (not for list)");
  cmd->add_option("-c,--config", options->file, "Config file")->required();
  return [options] {
    if (options->verb != "list" && options->agent.empty()) {
      std::cerr << "agent " << options->verb << " needs an agent id\n";
      return kExitUsage;
    }
    return run_agent(*options);
  };
}

}  // namespace switchboard::cli
