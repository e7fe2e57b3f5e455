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

namespace {

[[noreturn]] void refuse(const IntentSpec& spec, const Pattern& pattern, const std::string& error) {
  throw sdk::ConfigError(spec.pack + ": intent '" + spec.name + "': pattern '" + pattern.regex +
                         "' does not compile: " + error);
}

}  // namespace

IntentMatcher::IntentMatcher(std::vector<IntentSpec> intents) : intents_(std::move(intents)) {
  std::map<std::string, std::string> defined;
  for (const IntentSpec& spec : intents_) {
    auto [it, fresh] = defined.emplace(spec.name, spec.pack);
    if (!fresh) throw sdk::ConfigError("intent '" + spec.name + "' is defined in " + it->second + " and " + spec.pack);
  }
  add_folded();
  add_original();
}

void IntentMatcher::add_folded() {
  RE2::Options options = set_options(true);
  for (std::size_t i = 0; i < intents_.size(); ++i) {
    const IntentSpec& spec = intents_[i];
    auto add = [&](const Pattern& pattern, bool veto) {
      RE2 check(pattern.regex, options);
      if (!check.ok()) refuse(spec, pattern, check.error());
      int id = 0;
      if (folded_filter_.Add(pattern.regex, options, &id) != RE2::NoError) refuse(spec, pattern, "rejected");
      folded_owners_.push_back(Owner{i, pattern.weight, veto});
    };
    for (const Pattern& pattern : spec.folded) add(pattern, false);
    for (const Pattern& pattern : spec.unless) add(pattern, true);
  }
  if (folded_owners_.empty()) return;
  std::vector<std::string> atoms;
  folded_filter_.Compile(&atoms);
  if (atoms.empty()) return;
  folded_atoms_ = std::make_unique<RE2::Set>(set_options(true), RE2::UNANCHORED);
  for (const std::string& atom : atoms) folded_atoms_->Add(RE2::QuoteMeta(atom), nullptr);
  if (!folded_atoms_->Compile()) throw sdk::ConfigError("the intent patterns' atoms do not fit in RE2's memory");
}

void IntentMatcher::add_original() {
  original_set_ = std::make_unique<RE2::Set>(set_options(false), RE2::UNANCHORED);
  for (std::size_t i = 0; i < intents_.size(); ++i) {
    for (const Pattern& pattern : intents_[i].original) {
      std::string error;
      if (original_set_->Add(pattern.regex, &error) < 0) refuse(intents_[i], pattern, error);
      original_owners_.push_back(Owner{i, pattern.weight, false});
    }
  }
  if (!original_owners_.empty() && !original_set_->Compile()) {
    throw sdk::ConfigError("the original-text patterns do not fit in RE2's memory");
  }
}

void IntentMatcher::credit(const Owner& owner, std::vector<double>& misses, std::vector<bool>& vetoed) const {
  if (owner.veto) {
    vetoed[owner.intent] = true;
  } else {
    misses[owner.intent] *= 1.0 - owner.weight;
  }
}

std::optional<IntentMatch> IntentMatcher::classify(std::string_view folded, std::string_view original,
                                                   double min_score) const {
  // misses[i] = Π(1 - weight) of intent i's matching patterns; 1 = no match.
  std::vector<double> misses(intents_.size(), 1.0);
  std::vector<bool> vetoed(intents_.size(), false);
  std::vector<int> hits;
  if (!folded_owners_.empty()) {
    re2::StringPiece text(folded.data(), folded.size());
    std::vector<int> atoms;
    if (folded_atoms_) folded_atoms_->Match(text, &atoms);
    folded_filter_.AllMatches(text, atoms, &hits);
    for (int hit : hits) credit(folded_owners_[static_cast<std::size_t>(hit)], misses, vetoed);
  }
  hits.clear();
  if (!original_owners_.empty() && original_set_->Match(re2::StringPiece(original.data(), original.size()), &hits)) {
    for (int hit : hits) credit(original_owners_[static_cast<std::size_t>(hit)], misses, vetoed);
  }
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
