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

  std::vector<std::string_view> words(std::string_view folded) const;
  std::vector<std::string> terms(const std::vector<std::string_view>& words) const;
  double term_score(uint32_t term, uint32_t frequency, const Doc& doc) const;

  std::set<std::string, std::less<>> stopwords_;
  std::unordered_map<std::string, uint32_t> vocabulary_;
  std::vector<double> idf_;
  std::vector<std::vector<Posting>> postings_;
  std::vector<Doc> docs_;
  std::vector<bool> bigram_;  // by term id
  double average_length_ = 1;
};

}  // namespace switchboard::plugins::faq
