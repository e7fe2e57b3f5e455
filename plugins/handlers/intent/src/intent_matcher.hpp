// Classifies a message against every intent of the loaded packs at once.
// Folded-text patterns go through RE2's FilteredRE2: the literal atoms every
// pattern needs ("gia", "kham") are found in one scan by an RE2::Set of plain
// literals, and only patterns whose atoms are all present run. (One RE2::Set
// of hundreds of ".*" patterns thrashes its DFA cache: ~40 us a message.)
// The rarer original-text patterns share one RE2::Set.
//
// Immutable after construction; classify() may run on many threads at once.
#pragma once

#include <re2/filtered_re2.h>
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
  // Whether classify() reads `original` at all.
  bool has_original_patterns() const { return !original_owners_.empty(); }

 private:
  struct Owner {
    std::size_t intent;
    double weight;
    bool veto;  // an "unless" pattern
  };
  // A regexp the atom filter lets through (pattern = its FilteredRE2 id), or
  // an intent an original-text pattern matched (pattern = -1). Sorted, the
  // candidates of one intent are adjacent and intents come in rank order.
  struct Candidate {
    std::size_t rank;
    std::size_t intent;
    int pattern;
    double weight;
    bool operator<(const Candidate& other) const {
      return rank != other.rank ? rank < other.rank : pattern < other.pattern;
    }
  };
  void add_folded();
  void add_original();
  void rank_intents();
  double score_of(const std::vector<Candidate>& candidates, std::size_t begin, std::size_t end,
                  const re2::StringPiece& text) const;
  bool vetoed(const std::vector<Candidate>& candidates, std::size_t begin, std::size_t end,
              const re2::StringPiece& text) const;

  std::vector<IntentSpec> intents_;
  re2::FilteredRE2 folded_filter_{2};
  std::unique_ptr<RE2::Set> folded_atoms_;  // the filter's atoms as plain literals; null when none
  std::unique_ptr<RE2::Set> original_set_;
  std::vector<Owner> folded_owners_;
  std::vector<Owner> original_owners_;
  std::vector<std::size_t> rank_;  // by intent: position by priority (highest first), then definition order
};

}  // namespace switchboard::plugins::intent
