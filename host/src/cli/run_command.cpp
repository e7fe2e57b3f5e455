// `switchboard run --config F`: start the service and serve until SIGTERM or
// SIGINT. SIGHUP reloads the file: a valid new config replaces the running
// one; an invalid one is logged, error by error, and the old one keeps going.
#include <csignal>
#include <iostream>

#include "app/service.hpp"
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "log/logger.hpp"

namespace switchboard::cli {
namespace {

struct RunOptions {
  std::string file;
  std::string log_level;
};

int run(const RunOptions& options) {
  // Block the signals before any thread exists (plugins, pools), then take
  // them synchronously here: no async-signal-safety concerns anywhere else.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (!options.log_level.empty()) log::set_level(options.log_level);
  app::Service service(options.file, executable_path(), options.log_level);
  try {
    service.start();
  } catch (const app::StartupError& e) {
    for (const auto& line : e.lines()) std::cerr << line << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    log::error("app", std::string("start-up failed: ") + e.what());
    return kExitFailure;
  }

  for (;;) {
    int received = 0;
    sigwait(&signals, &received);
    if (received == SIGHUP) {
      log::info("app", "SIGHUP: reloading " + options.file);
      service.reload();
      continue;
    }
    log::info("app", std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
    service.stop();
    log::info("app", "stopped");
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
