// Parsing and checking FAQ packs.
#include "faq_pack.hpp"

#include <fstream>
#include <sstream>

namespace switchboard::plugins::faq {
namespace {

std::vector<std::string> strings(const sdk::Json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_array() || it->empty()) {
    throw sdk::ConfigError(where + ": '" + key + "' must be a non-empty array of strings");
  }
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
      throw sdk::ConfigError(where + ": '" + key + "' must hold non-empty strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

FaqEntry parse_entry(const sdk::Json& item, const std::string& file) {
  if (!item.is_object() || !item.contains("id") || !item["id"].is_string()) {
    throw sdk::ConfigError(file + ": every entry needs an \"id\" string");
  }
  FaqEntry entry;
  entry.id = item["id"].get<std::string>();
  std::string where = file + ": entry '" + entry.id + "'";
  entry.intent = item.value("intent", "");
  entry.questions = strings(item, "questions", where);
  entry.answers = strings(item, "answers", where);
  return entry;
}

}  // namespace

void parse_pack(const sdk::Json& document, const std::string& file, FaqPack& into) {
  if (!document.is_object() || !document.contains("entries") || !document["entries"].is_array()) {
    throw sdk::ConfigError(file + ": a FAQ pack is an object with an \"entries\" array");
  }
  for (const auto& item : document["entries"]) {
    FaqEntry entry = parse_entry(item, file);
    for (const auto& existing : into.entries) {
      if (existing.id == entry.id) throw sdk::ConfigError(file + ": entry id '" + entry.id + "' is used twice");
    }
    into.entries.push_back(std::move(entry));
  }
  if (document.contains("stopwords")) {
    for (const auto& word : document.at("stopwords")) into.stopwords.insert(word.get<std::string>());
  }
}

void load_pack(const std::filesystem::path& file, FaqPack& into) {
  std::ifstream in(file);
  if (!in) throw sdk::ConfigError(file.string() + ": cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  sdk::Json document = sdk::Json::parse(buffer.str(), nullptr, false, true);
  if (document.is_discarded()) throw sdk::ConfigError(file.string() + ": not valid JSON");
  try {
    parse_pack(document, file.string(), into);
  } catch (const sdk::Json::exception& e) {
    throw sdk::ConfigError(file.string() + ": " + e.what());
  }
}

}  // namespace switchboard::plugins::faq
