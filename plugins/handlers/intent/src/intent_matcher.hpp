// Classifies a message against every intent of the loaded packs at once: all
// patterns are compiled into two RE2::Sets (folded text, original text), so a
// message costs two scans whatever the number of intents.
//
// Immutable after construction; classify() may run on many threads at once.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "intent_pack.hpp"

namespace switchboard::plugins::intent {

struct IntentMatch {
  const IntentSpec* intent = nullptr;
  double score = 0;  // 1 - Π(1 - weight) over the intent's matching patterns
};

class IntentMatcher {
 public:
  // Throws sdk::ConfigError naming the pack, intent and pattern that does
  // not compile, or an intent name defined twice.
  explicit IntentMatcher(std::vector<IntentSpec> intents);

  // The best intent scoring at least min_score: highest priority first, then
  // highest score, then the earliest defined. `original` is the NFC text.
  std::optional<IntentMatch> classify(std::string_view folded, std::string_view original, double min_score) const;

  const std::vector<IntentSpec>& intents() const { return intents_; }

 private:
  struct Owner {
    std::size_t intent;
    double weight;
    bool veto;  // an "unless" pattern
  };
  void add_all(RE2::Set& set, std::vector<Owner>& owners, bool original);
  static void compile(RE2::Set& set, const std::vector<Owner>& owners, const char* which);
  void collect(const RE2::Set& set, const std::vector<Owner>& owners, std::string_view text,
               std::vector<double>& misses, std::vector<bool>& vetoed) const;

  std::vector<IntentSpec> intents_;
  std::unique_ptr<RE2::Set> folded_set_;
  std::unique_ptr<RE2::Set> original_set_;
  std::vector<Owner> folded_owners_;
  std::vector<Owner> original_owners_;
};

}  // namespace switchboard::plugins::intent
