// `switchboard faq-misses --config F` lists the questions the faq handler
// could not answer, most frequent first, from the database in the config's
// data_dir. The faq handler records them in its durable key-value scope
// (step/<pipeline>/faq/<n>, keys "miss/<folded question>"): the ABI gives
// plugins no other durable store, and that scope already names the step.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "config/config_document.hpp"
#include "log/logger.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace switchboard::cli {
namespace {

struct MissOptions {
  std::string file;
  int limit = 50;
  bool json = false;
};

struct Miss {
  std::string folded;
  std::string text;  // the first wording seen
  int64_t count = 0;
  std::string last_at;
};

// One row per folded question, summed over every faq step of the database.
std::vector<Miss> collect(store::Store& store) {
  std::map<std::string, Miss> by_folded;
  for (const auto& entry : store.kv_scan("step/", "miss/")) {
    if (entry.scope.find("/faq/") == std::string::npos) continue;
    auto value = nlohmann::json::parse(entry.value, nullptr, false);
    if (!value.is_object()) continue;
    Miss& miss = by_folded[entry.key.substr(5)];
    miss.folded = entry.key.substr(5);
    if (miss.text.empty()) miss.text = value.value("text", "");
    miss.count += value.value("count", int64_t{0});
    miss.last_at = std::max(miss.last_at, value.value("last_at", std::string()));
  }
  std::vector<Miss> misses;
  for (auto& [folded, miss] : by_folded) misses.push_back(std::move(miss));
  std::stable_sort(misses.begin(), misses.end(), [](const Miss& a, const Miss& b) {
    return a.count != b.count ? a.count > b.count : a.last_at > b.last_at;
  });
  return misses;
}

void print_table(const std::vector<Miss>& misses, std::size_t limit) {
  if (misses.empty()) {
    std::cout << "no unanswered FAQ questions recorded\n";
    return;
  }
  std::cout << std::left << std::setw(7) << "count" << std::setw(22) << "last seen"
            << "question\n";
  for (std::size_t i = 0; i < misses.size() && i < limit; ++i) {
    std::cout << std::left << std::setw(7) << misses[i].count << std::setw(22) << misses[i].last_at << misses[i].text
              << "\n";
  }
  if (misses.size() > limit) std::cout << "(" << misses.size() - limit << " more; raise --limit)\n";
}

int run_faq_misses(const MissOptions& options) {
  log::set_level(log::Level::Warn);
  config::ConfigDocument document = config::read_config(options.file);
  if (document.json.is_null()) {
    for (const auto& line : document.errors) std::cerr << line << "\n";
    return kExitUsage;
  }
  std::filesystem::path db = document.service.data_dir / "switchboard.db";
  std::error_code ec;
  std::vector<Miss> misses;
  if (std::filesystem::exists(db, ec)) misses = collect(*store::open_sqlite_store(db));
  auto limit = static_cast<std::size_t>(std::max(options.limit, 0));
  if (!options.json) {
    print_table(misses, limit);
    return kExitOk;
  }
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < misses.size() && i < limit; ++i) {
    out.push_back({{"count", misses[i].count},
                   {"text", misses[i].text},
                   {"folded", misses[i].folded},
                   {"last_at", misses[i].last_at}});
  }
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

Action add_faq_misses_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("faq-misses", "List questions the faq handler could not answer, most frequent first");
  auto options = std::make_shared<MissOptions>();
  cmd->add_option("-c,--config", options->file, "Config file (its service.data_dir holds the database)")->required();
  cmd->add_option("-n,--limit", options->limit, "Rows to print (default 50)");
  cmd->add_flag("--json", options->json, "Print a JSON array instead of a table");
  return [options] { return run_faq_misses(*options); };
}

}  // namespace switchboard::cli
