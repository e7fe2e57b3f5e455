// Intent packs: JSON files in intents/ naming intents with RE2 patterns over
// the folded text (and optionally the original), examples and a priority.
// Format: intents/README.md.
#pragma once

#include <switchboard/sdk.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::plugins::intent {

struct Pattern {
  std::string regex;
  double weight = 0.7;  // a match's evidence; several matches combine
};

// What a matched intent does besides set_intent and its tags.
struct IntentAction {
  std::optional<std::string> reply;  // a TextTemplate source
  std::optional<std::string> queue;  // assign to this queue
  sdk::Priority priority = sdk::Priority::Normal;
  bool stop = false;  // no further step runs
};

struct IntentSpec {
  std::string name;
  std::string pack;  // the file it came from, for errors
  int priority = 50;
  std::vector<std::string> tags;
  std::vector<Pattern> folded;    // matched against the expanded fold
  std::vector<Pattern> original;  // matched against the NFC text, case-insensitively
  std::vector<Pattern> unless;    // folded: any match vetoes the intent ("thuoc tranh thai khan cap")
  std::vector<std::string> examples;
  IntentAction action;
};

// Reads one pack. Throws sdk::ConfigError naming the file (and the intent).
std::vector<IntentSpec> load_pack(const std::filesystem::path& file);
std::vector<IntentSpec> parse_pack(const sdk::Json& document, const std::string& file);

}  // namespace switchboard::plugins::intent
