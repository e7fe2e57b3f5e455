// RE2::Set compilation and scoring.
#include "intent_matcher.hpp"

#include <map>

namespace switchboard::plugins::intent {
namespace {

RE2::Options set_options(bool case_sensitive) {
  RE2::Options options;
  options.set_case_sensitive(case_sensitive);
  options.set_log_errors(false);
  options.set_max_mem(int64_t{256} << 20);  // hundreds of intents: the DFA needs room
  return options;
}

}  // namespace

IntentMatcher::IntentMatcher(std::vector<IntentSpec> intents) : intents_(std::move(intents)) {
  std::map<std::string, std::string> defined;
  for (const IntentSpec& spec : intents_) {
    auto [it, fresh] = defined.emplace(spec.name, spec.pack);
    if (!fresh) throw sdk::ConfigError("intent '" + spec.name + "' is defined in " + it->second + " and " + spec.pack);
  }
  folded_set_ = std::make_unique<RE2::Set>(set_options(true), RE2::UNANCHORED);
  original_set_ = std::make_unique<RE2::Set>(set_options(false), RE2::UNANCHORED);
  add_all(*folded_set_, folded_owners_, false);
  add_all(*original_set_, original_owners_, true);
  compile(*folded_set_, folded_owners_, "folded");
  compile(*original_set_, original_owners_, "original");
}

void IntentMatcher::add_all(RE2::Set& set, std::vector<Owner>& owners, bool original) {
  for (std::size_t i = 0; i < intents_.size(); ++i) {
    const IntentSpec& spec = intents_[i];
    auto add = [&](const Pattern& pattern, bool veto) {
      std::string error;
      if (set.Add(pattern.regex, &error) < 0) {
        throw sdk::ConfigError(spec.pack + ": intent '" + spec.name + "': pattern '" + pattern.regex +
                               "' does not compile: " + error);
      }
      owners.push_back(Owner{i, pattern.weight, veto});
    };
    for (const Pattern& pattern : original ? spec.original : spec.folded) add(pattern, false);
    if (!original) {
      for (const Pattern& pattern : spec.unless) add(pattern, true);
    }
  }
}

void IntentMatcher::compile(RE2::Set& set, const std::vector<Owner>& owners, const char* which) {
  if (owners.empty()) return;
  if (!set.Compile()) throw sdk::ConfigError(std::string("the ") + which + " patterns do not fit in RE2's memory");
}

void IntentMatcher::collect(const RE2::Set& set, const std::vector<Owner>& owners, std::string_view text,
                            std::vector<double>& misses, std::vector<bool>& vetoed) const {
  if (owners.empty()) return;
  std::vector<int> hits;
  if (!set.Match(re2::StringPiece(text.data(), text.size()), &hits)) return;
  for (int hit : hits) {
    const Owner& owner = owners[static_cast<std::size_t>(hit)];
    if (owner.veto) {
      vetoed[owner.intent] = true;
    } else {
      misses[owner.intent] *= 1.0 - owner.weight;
    }
  }
}

std::optional<IntentMatch> IntentMatcher::classify(std::string_view folded, std::string_view original,
                                                   double min_score) const {
  // misses[i] = Π(1 - weight) of intent i's matching patterns; 1 = no match.
  std::vector<double> misses(intents_.size(), 1.0);
  std::vector<bool> vetoed(intents_.size(), false);
  collect(*folded_set_, folded_owners_, folded, misses, vetoed);
  collect(*original_set_, original_owners_, original, misses, vetoed);
  std::optional<IntentMatch> best;
  for (std::size_t i = 0; i < intents_.size(); ++i) {
    double score = 1.0 - misses[i];
    if (misses[i] >= 1.0 || vetoed[i] || score + 1e-9 < min_score) continue;
    const IntentSpec& spec = intents_[i];
    bool better = !best || spec.priority > best->intent->priority ||
                  (spec.priority == best->intent->priority && score > best->score + 1e-9);
    if (better) best = IntentMatch{&spec, score};
  }
  return best;
}

}  // namespace switchboard::plugins::intent
