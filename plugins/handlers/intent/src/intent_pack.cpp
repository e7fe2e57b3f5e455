// Parsing and checking intent packs.
#include "intent_pack.hpp"

#include <fstream>
#include <sstream>

namespace switchboard::plugins::intent {
namespace {

sdk::Json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw sdk::ConfigError(file.string() + ": cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  sdk::Json document = sdk::Json::parse(buffer.str(), nullptr, false, true);
  if (document.is_discarded()) throw sdk::ConfigError(file.string() + ": not valid JSON");
  return document;
}

std::vector<std::string> strings(const sdk::Json& object, const char* key, const std::string& where) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end()) return out;
  if (!it->is_array()) throw sdk::ConfigError(where + ": '" + key + "' must be an array of strings");
  for (const auto& item : *it) {
    if (!item.is_string()) throw sdk::ConfigError(where + ": '" + key + "' must be an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::vector<Pattern> patterns(const sdk::Json& object, const char* key, const std::string& where) {
  std::vector<Pattern> out;
  auto it = object.find(key);
  if (it == object.end()) return out;
  if (!it->is_array()) throw sdk::ConfigError(where + ": '" + key + "' must be an array");
  for (const auto& item : *it) {
    if (item.is_string()) {
      out.push_back(Pattern{item.get<std::string>()});
      continue;
    }
    if (!item.is_object() || !item.contains("re") || !item["re"].is_string()) {
      throw sdk::ConfigError(where + ": a pattern is a string or {\"re\": \"…\", \"weight\": 0.7}");
    }
    double weight = item.value("weight", 0.7);
    if (weight <= 0 || weight > 1) throw sdk::ConfigError(where + ": pattern weight must be in (0, 1]");
    out.push_back(Pattern{item["re"].get<std::string>(), weight});
  }
  return out;
}

sdk::Priority parse_priority(const std::string& name, const std::string& where) {
  if (name == "low") return sdk::Priority::Low;
  if (name == "normal") return sdk::Priority::Normal;
  if (name == "high") return sdk::Priority::High;
  if (name == "urgent") return sdk::Priority::Urgent;
  throw sdk::ConfigError(where + ": assign.priority must be low, normal, high or urgent");
}

IntentAction action(const sdk::Json& item, const std::string& where) {
  IntentAction out;
  if (item.contains("reply")) out.reply = item.at("reply").get<std::string>();
  if (item.contains("assign")) {
    const sdk::Json& assign = item.at("assign");
    out.queue = assign.at("queue").get<std::string>();
    out.priority = parse_priority(assign.value("priority", "normal"), where);
  }
  out.stop = item.value("stop", false);
  return out;
}

IntentSpec parse_intent(const sdk::Json& item, const std::string& file) {
  if (!item.is_object() || !item.contains("name") || !item["name"].is_string()) {
    throw sdk::ConfigError(file + ": every intent needs a \"name\" string");
  }
  IntentSpec spec;
  spec.name = item["name"].get<std::string>();
  spec.pack = file;
  std::string where = file + ": intent '" + spec.name + "'";
  spec.priority = item.value("priority", 50);
  spec.tags = strings(item, "tags", where);
  spec.folded = patterns(item, "patterns", where);
  spec.original = patterns(item, "original_patterns", where);
  spec.unless = patterns(item, "unless", where);
  spec.examples = strings(item, "examples", where);
  spec.action = action(item, where);
  if (spec.folded.empty() && spec.original.empty()) throw sdk::ConfigError(where + ": has no patterns");
  return spec;
}

}  // namespace

std::vector<IntentSpec> parse_pack(const sdk::Json& document, const std::string& file) {
  if (!document.is_object() || !document.contains("intents") || !document["intents"].is_array()) {
    throw sdk::ConfigError(file + ": an intent pack is an object with an \"intents\" array");
  }
  std::vector<IntentSpec> out;
  for (const auto& item : document["intents"]) out.push_back(parse_intent(item, file));
  return out;
}

std::vector<IntentSpec> load_pack(const std::filesystem::path& file) {
  try {
    return parse_pack(read_json(file), file.string());
  } catch (const sdk::Json::exception& e) {
    throw sdk::ConfigError(file.string() + ": " + e.what());
  }
}

}  // namespace switchboard::plugins::intent
