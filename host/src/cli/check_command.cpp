// `switchboard check --config F`: every problem in the file, in one run.
// Exit 0 when the config would start, 2 when it would not. Plugin instances
// are created (and destroyed) but never started, so plugin-level checks run
// without touching the outside world.
#include <iostream>

#include "app/runtime.hpp"
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "log/logger.hpp"

namespace switchboard::cli {

Action add_check_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("check", "Validate a config file and its plugin blocks; exit 2 when invalid");
  auto file = std::make_shared<std::string>();
  cmd->add_option("-c,--config", *file, "Config file (JSON with comments)")->required();
  return [file] {
    log::set_level(log::Level::Off);  // problems are printed below, once each
    config::ConfigDocument document = config::read_config(*file);
    auto registry = app::load_plugins(executable_path(), document.service.plugin_dirs);
    std::vector<std::string> refusals = registry->refusals();
    try {
      auto runtime = app::Runtime::build(document, std::move(registry), app::Runtime::Parts::Everything);
      for (const auto& line : refusals) std::cerr << "warning: plugin refused: " << line << "\n";
      std::cout << *file << ": OK (" << runtime->config().inboxes.size() << " inboxes, "
                << runtime->config().pipelines.size() << " pipelines, " << runtime->registry().modules().size()
                << " plugins)\n";
      return kExitOk;
    } catch (const app::StartupError& e) {
      for (const auto& line : e.lines()) std::cerr << line << "\n";
      for (const auto& line : refusals) std::cerr << "note: plugin refused: " << line << "\n";
      std::cerr << e.lines().size() << (e.lines().size() == 1 ? " error\n" : " errors\n");
      return kExitUsage;
    }
  };
}

}  // namespace switchboard::cli
