// `switchboard plugins [--config F] [--json]`: the plugins this host finds,
// their ABI version and every config field — the reference operators and
// partners read, generated from the descriptors themselves.
#include <switchboard/sdk.hpp>

#include <iomanip>
#include <iostream>

#include "app/runtime.hpp"
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "log/logger.hpp"

namespace switchboard::cli {
namespace {

nlohmann::json describe(const plugins::PluginModule& m) {
  const sb_plugin_v1& t = m.table();
  nlohmann::json fields = nlohmann::json::array();
  for (uint32_t i = 0; i < t.config_field_count; ++i) {
    const sb_config_field_v1& f = sdk::field_at(t, i);
    nlohmann::json field = {{"name", f.name},
                            {"type", sdk::field_type_name(f.type)},
                            {"required", (f.flags & SB_FIELD_REQUIRED) != 0},
                            {"secret", (f.flags & SB_FIELD_SECRET) != 0},
                            {"default", f.default_json ? nlohmann::json::parse(f.default_json) : nlohmann::json()},
                            {"description", f.description ? f.description : ""}};
    fields.push_back(std::move(field));
  }
  return {{"name", m.name()},
          {"version", m.version()},
          {"kind", plugins::kind_name(t.kind)},
          {"abi", std::to_string(t.abi_major) + "." + std::to_string(t.abi_minor)},
          {"description", t.description ? t.description : ""},
          {"thread_safe", m.thread_safe()},
          {"path", m.path().string()},
          {"config", std::move(fields)}};
}

void print_text(const nlohmann::json& p) {
  std::cout << p["name"].get<std::string>() << "  " << p["version"].get<std::string>() << "  "
            << p["kind"].get<std::string>() << "  ABI " << p["abi"].get<std::string>() << "  "
            << p["path"].get<std::string>() << "\n";
  if (!p["description"].get<std::string>().empty()) std::cout << "    " << p["description"].get<std::string>() << "\n";
  for (const auto& f : p["config"]) {
    std::string flags =
        f["required"] ? "required" : "default " + (f["default"].is_null() ? "none" : f["default"].dump());
    if (f["secret"]) flags += ", secret (from ${ENV})";
    std::cout << "    " << std::left << std::setw(24) << f["name"].get<std::string>() << std::setw(18)
              << f["type"].get<std::string>() << flags << "\n"
              << "        " << f["description"].get<std::string>() << "\n";
  }
}

}  // namespace

Action add_plugins_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("plugins", "List discovered plugins, their ABI versions and config fields");
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("-c,--config", *file, "Config file: also search its service.plugin_dirs");
  cmd->add_flag("--json", *json, "Print one JSON array instead of text");
  return [file, json] {
    log::set_level(log::Level::Off);
    std::vector<std::filesystem::path> dirs;
    if (!file->empty()) {
      config::ConfigDocument document = config::read_config(*file);
      if (!document.errors.empty()) {
        for (const auto& line : document.errors) std::cerr << line << "\n";
        return kExitUsage;
      }
      dirs = document.service.plugin_dirs;
    }
    auto registry = app::load_plugins(executable_path(), dirs);
    nlohmann::json all = nlohmann::json::array();
    for (const auto& module : registry->modules()) all.push_back(describe(*module));
    if (*json) {
      std::cout << all.dump(2) << "\n";
    } else {
      for (const auto& p : all) print_text(p);
    }
    for (const auto& line : registry->refusals()) std::cerr << "refused: " << line << "\n";
    return kExitOk;
  };
}

}  // namespace switchboard::cli
