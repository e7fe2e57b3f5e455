// `switchboard run --config F`: start everything and serve until SIGTERM or
// SIGINT. SIGHUP reloads the file: a valid new config replaces the running
// one; an invalid one is logged, error by error, and the old one keeps going.
#include <csignal>
#include <iostream>

#include "app/runtime.hpp"
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "log/logger.hpp"

namespace switchboard::cli {
namespace {

struct RunOptions {
  std::string file;
  std::string log_level;
};

void apply_log_level(const RunOptions& options, const config::Config& config) {
  log::Level level = log::Level::Info;
  log::parse_level(options.log_level.empty() ? config.service.log_level : options.log_level, level);
  log::set_level(level);
}

void announce(const app::Runtime& runtime) {
  std::string inboxes;
  for (const auto& inbox : runtime.inboxes()) {
    inboxes += (inboxes.empty() ? "" : ", ") + inbox.config.id + " (" + inbox.config.channel.plugin + " -> " +
               inbox.pipeline->name + ")";
  }
  log::info("app", "switchboard " SWITCHBOARD_VERSION " running with " + runtime.config().file.string() +
                       "; inboxes: " + inboxes + "; " + std::to_string(runtime.registry().modules().size()) +
                       " plugins");
}

std::unique_ptr<app::Runtime> load(const RunOptions& options) {
  auto runtime = app::Runtime::load(options.file, executable_path(), app::Runtime::Parts::Everything);
  apply_log_level(options, runtime->config());
  return runtime;
}

// Builds the new runtime before touching the old one, so a bad file costs nothing.
void reload(std::unique_ptr<app::Runtime>& current, const RunOptions& options) {
  log::info("app", "SIGHUP: reloading " + options.file);
  std::unique_ptr<app::Runtime> next;
  try {
    next = load(options);
  } catch (const app::StartupError& e) {
    for (const auto& line : e.lines()) log::error("config", line);
    log::error("app", "reload refused; the running config stays in force");
    return;
  }
  current->stop();
  current.reset();
  next->start();
  current = std::move(next);
  announce(*current);
}

int run(const RunOptions& options) {
  // Block the signals before any plugin starts a thread, then take them
  // synchronously here: no async-signal-safety concerns anywhere else.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (!options.log_level.empty()) apply_log_level(options, config::Config{});
  std::unique_ptr<app::Runtime> runtime;
  try {
    runtime = load(options);
    runtime->start();
  } catch (const app::StartupError& e) {
    for (const auto& line : e.lines()) std::cerr << line << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    log::error("app", std::string("start-up failed: ") + e.what());
    return kExitFailure;
  }
  announce(*runtime);

  for (;;) {
    int received = 0;
    sigwait(&signals, &received);
    if (received == SIGHUP) {
      reload(runtime, options);
      continue;
    }
    log::info("app", std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
    runtime->stop();
    return kExitOk;
  }
}

}  // namespace

Action add_run_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run Switchboard with a config file until SIGTERM; SIGHUP reloads it");
  auto options = std::make_shared<RunOptions>();
  cmd->add_option("-c,--config", options->file, "Config file")->required();
  cmd->add_option("--log-level", options->log_level, "debug | info | warn | error (default: service.log_level)")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
  return [options] { return run(*options); };
}

}  // namespace switchboard::cli
