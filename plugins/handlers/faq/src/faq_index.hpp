// Ranked retrieval over FAQ question variants: BM25 over the words and word
// pairs of the folded, shorthand-expanded text, with a confidence in [0, 1]
// that a threshold can use.
//
// In memory rather than SQLite FTS5: the folded text is already the index
// key (FTS5's own folding would not map đ anyway), and a lookup is a few
// postings walks with no SQL round trip, which keeps the whole fold + intent +
// FAQ path above 100k messages a second.
//
// Immutable after construction; best() may run on many threads at once.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace switchboard::plugins::faq {

struct FaqHit {
  std::size_t entry = 0;  // index given at construction
  double score = 0;       // confidence in [0, 1]
};

class FaqIndex {
 public:
  // questions[i] holds the folded variants of entry i.
  FaqIndex(const std::vector<std::vector<std::string>>& questions, std::set<std::string> stopwords);
  // Moving keeps the lexicon's strings in place (a deque's elements do not
  // move with it), so the views into them stay valid; a copy would not.
  FaqIndex(FaqIndex&&) = default;
  FaqIndex& operator=(FaqIndex&&) = default;
  FaqIndex(const FaqIndex&) = delete;
  FaqIndex& operator=(const FaqIndex&) = delete;

  // The entry whose best variant has the highest confidence: the geometric
  // mean of how much of that variant's own BM25 weight the query reaches
  // (variant coverage) and the share of the query's words the entry knows
  // (query coverage, counted on the variant). "gia kham" scores well against
  // "gia kham bao nhieu"; a long message that merely mentions "kham" does not.
  std::optional<FaqHit> best(std::string_view folded_query) const;

  std::size_t variants() const { return docs_.size(); }

 private:
  struct Doc {
    std::size_t entry;
    std::vector<std::pair<uint32_t, uint32_t>> terms;  // term id, frequency
    double length;
    double self_score = 0;
  };
  struct Posting {
    uint32_t doc;
    double weight;  // the term's BM25 contribution to this variant, fixed once built
  };
  struct Tally {
    double score = 0;
    uint32_t shared = 0;  // words (not pairs) the query shares with the variant
  };
  // A word of a text: its id in the lexicon, or kUnknown; stopwords dropped.
  struct Word {
    std::string_view text;
    uint32_t id;
  };
  static constexpr uint32_t kUnknown = UINT32_MAX;

  std::vector<Word> words(std::string_view folded) const;
  // Term ids of the words and of each adjacent pair ("gia kham"), known ones only.
  void query_terms(const std::vector<Word>& words, std::vector<uint32_t>& out) const;
  uint32_t intern_word(std::string_view word);
  uint32_t intern_term(uint64_t key, bool bigram);
  double term_score(uint32_t term, uint32_t frequency, const Doc& doc) const;

  // Words are interned once at build time, so a query hashes each of its
  // words once and finds pairs by two integers — no string is built per query.
  std::deque<std::string> lexicon_;                          // owns the words
  std::unordered_map<std::string_view, uint32_t> word_ids_;  // views into lexicon_
  std::vector<bool> stop_;                                   // by word id
  std::unordered_map<uint64_t, uint32_t> term_ids_;          // word pair key -> term id
  std::vector<double> idf_;
  std::vector<std::vector<Posting>> postings_;
  std::vector<Doc> docs_;
  std::vector<bool> bigram_;  // by term id
  double average_length_ = 1;
};

}  // namespace switchboard::plugins::faq
