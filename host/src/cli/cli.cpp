// Parses the command line with CLI11 and dispatches to the chosen command.
#include "cli/cli.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <iostream>
#include <map>

#include "cli/commands.hpp"

namespace switchboard::cli {

namespace {

bool is_command(CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_name() == name) return true;
  }
  return false;
}

}  // namespace

std::filesystem::path executable_path() { return boost::dll::program_location().string(); }

int main(int argc, char** argv) {
  CLI::App app{"Switchboard: customer messages from Zalo OA, Messenger and email, answered by pipelines of plugins."};
  app.name("switchboard");
  app.set_version_flag("--version", SWITCHBOARD_VERSION);
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::help);

  std::map<CLI::App*, Action> actions;
  auto add = [&](Action (*adder)(CLI::App&)) {
    Action action = adder(app);
    actions[app.get_subcommands({}).back()] = std::move(action);
  };
  add(add_run_command);
  add(add_check_command);
  add(add_plugins_command);
  add(add_try_command);
  add(add_agent_command);
  add(add_faq_misses_command);

  // CLI11 would report a mistyped command as "a subcommand is required".
  if (argc > 1 && argv[1][0] != '-' && !is_command(app, argv[1])) {
    std::cerr << "unknown command '" << argv[1] << "'\n" << app.help();
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (CLI::App* sub : app.get_subcommands()) {
    return actions.at(sub)();
  }
  return kExitUsage;
}

}  // namespace switchboard::cli
