// One function per subcommand; each registers its options on the CLI11 app
// and returns the action to run once parsing succeeded.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>

namespace switchboard::cli {

using Action = std::function<int()>;

// Where the running binary lives: first-party plugins are found next to it.
std::filesystem::path executable_path();

Action add_run_command(CLI::App& app);
Action add_check_command(CLI::App& app);
Action add_plugins_command(CLI::App& app);
Action add_try_command(CLI::App& app);
Action add_agent_command(CLI::App& app);
Action add_faq_misses_command(CLI::App& app);

}  // namespace switchboard::cli
