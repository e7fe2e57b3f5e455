// RE2::Set compilation and scoring.
#include "intent_matcher.hpp"

#include <algorithm>
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
  rank_intents();
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

void IntentMatcher::rank_intents() {
  std::vector<std::size_t> order(intents_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return intents_[a].priority > intents_[b].priority; });
  rank_.resize(intents_.size());
  for (std::size_t r = 0; r < order.size(); ++r) rank_[order[r]] = r;
}

// The winner is the highest priority level holding an intent that scores at
// least min_score and is not vetoed, so patterns run level by level, highest
// first, and lower levels never run once a level has a winner. The atom
// filter's candidates are typically several times the matches, so most
// regexps of a message never execute.
std::optional<IntentMatch> IntentMatcher::classify(std::string_view folded, std::string_view original,
                                                   double min_score) const {
  // Per-thread scratch: classify runs once per message on a worker, and
  // these would otherwise be four allocations each time.
  thread_local std::vector<int> atoms, potentials, hits;
  thread_local std::vector<Candidate> candidates;
  candidates.clear();
  re2::StringPiece folded_text(folded.data(), folded.size());
  if (!folded_owners_.empty()) {
    atoms.clear();
    potentials.clear();
    if (folded_atoms_) folded_atoms_->Match(folded_text, &atoms);
    folded_filter_.AllPotentials(atoms, &potentials);
    for (int id : potentials) {
      const Owner& owner = folded_owners_[static_cast<std::size_t>(id)];
      candidates.push_back(Candidate{rank_[owner.intent], owner.intent, id, owner.weight});
    }
  }
  // Original-text patterns are few and share one Set: run it up front; its
  // matches join the candidates as already-matched (pattern -1).
  hits.clear();
  if (!original_owners_.empty() && original_set_->Match(re2::StringPiece(original.data(), original.size()), &hits)) {
    for (int hit : hits) {
      const Owner& owner = original_owners_[static_cast<std::size_t>(hit)];
      candidates.push_back(Candidate{rank_[owner.intent], owner.intent, -1, owner.weight});
    }
  }
  std::sort(candidates.begin(), candidates.end());

  std::optional<IntentMatch> best;
  std::size_t i = 0;
  while (i < candidates.size() && !best) {
    int level = intents_[candidates[i].intent].priority;
    for (; i < candidates.size() && intents_[candidates[i].intent].priority == level;) {
      std::size_t intent = candidates[i].intent;
      std::size_t end = i;
      while (end < candidates.size() && candidates[end].intent == intent) ++end;
      double score = score_of(candidates, i, end, folded_text);
      if (score > 0 && score + 1e-9 >= min_score && !vetoed(candidates, i, end, folded_text) &&
          (!best || score > best->score + 1e-9)) {
        best = IntentMatch{&intents_[intent], score};
      }
      i = end;
    }
  }
  return best;
}

namespace {

// An unanchored search with no submatches: RE2 stops at the first match
// (PartialMatch would go through the argument-parsing path to get here).
bool found(const RE2& re, const re2::StringPiece& text) {
  return re.Match(text, 0, text.size(), RE2::UNANCHORED, nullptr, 0);
}

}  // namespace

// 1 - Π(1 - weight) over the intent's matching patterns.
double IntentMatcher::score_of(const std::vector<Candidate>& candidates, std::size_t begin, std::size_t end,
                               const re2::StringPiece& text) const {
  double miss = 1.0;
  for (std::size_t c = begin; c < end; ++c) {
    int id = candidates[c].pattern;
    if (id >= 0 && folded_owners_[static_cast<std::size_t>(id)].veto) continue;
    if (id < 0 || found(folded_filter_.GetRE2(id), text)) miss *= 1.0 - candidates[c].weight;
  }
  return 1.0 - miss;
}

bool IntentMatcher::vetoed(const std::vector<Candidate>& candidates, std::size_t begin, std::size_t end,
                           const re2::StringPiece& text) const {
  for (std::size_t c = begin; c < end; ++c) {
    int id = candidates[c].pattern;
    if (id >= 0 && folded_owners_[static_cast<std::size_t>(id)].veto && found(folded_filter_.GetRE2(id), text))
      return true;
  }
  return false;
}

}  // namespace switchboard::plugins::intent
