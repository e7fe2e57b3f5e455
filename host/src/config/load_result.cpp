// Phase 2: inboxes and pipelines, then the verdict over both phases.
#include "config/load_result.hpp"

#include "config/diagnostics.hpp"

#include <set>

namespace switchboard::config {

namespace {

// Inboxes may name any pipeline that is written down, even a broken one: its
// own errors are reported where it is, not again at every inbox using it.
std::set<std::string> pipeline_names(const nlohmann::json& pipelines) {
  std::set<std::string> names;
  for (const auto& item : pipelines.items()) names.insert(item.key());
  return names;
}

}  // namespace

LoadResult validate_config(const ConfigDocument& doc, const PluginCatalog& plugins) {
  LoadResult result;
  result.errors = doc.errors;
  if (!doc.json.is_object()) return result;  // phase 1 said why

  Diagnostics errors(doc.file.string());
  errors.silence(doc.env.unresolved);
  static const nlohmann::json kNone;
  const nlohmann::json& inboxes = doc.json.contains("inboxes") ? doc.json.at("inboxes") : kNone;
  const nlohmann::json& pipelines = doc.json.contains("pipelines") ? doc.json.at("pipelines") : kNone;

  // Inboxes before pipelines, so errors come in the order the file is usually written.
  Config config{doc.file, doc.service, {}, {}, {}};
  if (inboxes.is_array()) {
    std::set<std::string> names = pipelines.is_object() ? pipeline_names(pipelines) : std::set<std::string>{};
    config.inboxes = read_inboxes(inboxes, names, plugins, doc, errors);
  }
  if (pipelines.is_object()) config.pipelines = read_pipelines(pipelines, plugins, doc, errors);
  auto section = [&](const char* key) { return doc.json.contains(key) ? &doc.json.at(key) : nullptr; };
  config.team = read_team(section("departments"), section("agents"), section("canned_responses"), errors);
  result.errors.insert(result.errors.end(), errors.messages().begin(), errors.messages().end());
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

}  // namespace switchboard::config
