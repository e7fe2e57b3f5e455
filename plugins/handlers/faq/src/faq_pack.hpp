// FAQ packs: JSON files in intents/ with entries of question variants,
// answer variants and an optional intent link. Format: intents/README.md.
#pragma once

#include <switchboard/sdk.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace switchboard::plugins::faq {

struct FaqEntry {
  std::string id;
  std::string intent;                  // empty: not linked
  std::vector<std::string> questions;  // as written; folded by the handler
  std::vector<std::string> answers;    // TextTemplate sources, used in turn
};

struct FaqPack {
  std::vector<FaqEntry> entries;
  std::set<std::string> stopwords;  // folded filler words that never count ("admin", "oi", "a")
};

// Reads one pack and appends it to `into`. Throws sdk::ConfigError naming the
// file and entry.
void load_pack(const std::filesystem::path& file, FaqPack& into);
void parse_pack(const sdk::Json& document, const std::string& file, FaqPack& into);

}  // namespace switchboard::plugins::faq
