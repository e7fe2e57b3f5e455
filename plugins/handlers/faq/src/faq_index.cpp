// BM25 (k1 = 1.2, b = 0.75) over unigrams and bigrams of folded text.
#include "faq_index.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace switchboard::plugins::faq {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

bool is_bigram(const std::string& term) { return term.find(' ') != std::string::npos; }

}  // namespace

std::vector<std::string> FaqIndex::words(std::string_view folded) const {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t space = folded.find(' ', start);
    if (space == std::string_view::npos) space = folded.size();
    std::string word(folded.substr(start, space - start));
    if (!word.empty() && stopwords_.count(word) == 0) out.push_back(std::move(word));
    start = space + 1;
  }
  return out;
}

// Words, then each adjacent pair ("gia kham"): pairs reward the wording of a
// variant over the same words scattered through a message.
std::vector<std::string> FaqIndex::terms(const std::vector<std::string>& words) const {
  std::vector<std::string> out = words;
  for (std::size_t i = 1; i < words.size(); ++i) out.push_back(words[i - 1] + " " + words[i]);
  return out;
}

FaqIndex::FaqIndex(const std::vector<std::vector<std::string>>& questions, std::set<std::string> stopwords)
    : stopwords_(std::move(stopwords)), entry_words_(questions.size()) {
  double total_length = 0;
  for (std::size_t entry = 0; entry < questions.size(); ++entry) {
    for (const std::string& question : questions[entry]) {
      std::map<uint32_t, uint32_t> counts;
      for (const std::string& term : terms(words(question))) {
        auto [it, fresh] = vocabulary_.emplace(term, static_cast<uint32_t>(vocabulary_.size()));
        if (fresh) postings_.emplace_back();
        ++counts[it->second];
        if (!is_bigram(term)) entry_words_[entry].insert(it->second);
      }
      if (counts.empty()) continue;
      Doc doc{entry, {counts.begin(), counts.end()}, 0};
      for (const auto& [term, frequency] : doc.terms) doc.length += frequency;
      total_length += doc.length;
      auto id = static_cast<uint32_t>(docs_.size());
      for (const auto& [term, frequency] : doc.terms) postings_[term].push_back(Posting{id, frequency});
      docs_.push_back(std::move(doc));
    }
  }
  if (!docs_.empty()) average_length_ = total_length / static_cast<double>(docs_.size());
  auto n = static_cast<double>(docs_.size());
  for (const auto& postings : postings_) {
    auto df = static_cast<double>(postings.size());
    idf_.push_back(std::log(1.0 + (n - df + 0.5) / (df + 0.5)));
  }
  for (Doc& doc : docs_) {
    for (const auto& [term, frequency] : doc.terms) doc.self_score += term_score(term, frequency, doc);
  }
}

double FaqIndex::term_score(uint32_t term, uint32_t frequency, const Doc& doc) const {
  double tf = frequency;
  return idf_[term] * tf * (kK1 + 1) / (tf + kK1 * (1 - kB + kB * doc.length / average_length_));
}

std::optional<FaqHit> FaqIndex::best(std::string_view folded_query) const {
  std::vector<std::string> query_words = words(folded_query);
  if (query_words.empty() || docs_.empty()) return std::nullopt;
  std::set<uint32_t> known_words;
  std::vector<uint32_t> query_terms;
  for (const std::string& term : terms(query_words)) {
    auto it = vocabulary_.find(term);
    if (it == vocabulary_.end()) continue;
    query_terms.push_back(it->second);
    if (!is_bigram(term)) known_words.insert(it->second);
  }
  std::sort(query_terms.begin(), query_terms.end());
  query_terms.erase(std::unique(query_terms.begin(), query_terms.end()), query_terms.end());

  std::unordered_map<uint32_t, double> scores;
  for (uint32_t term : query_terms) {
    for (const Posting& posting : postings_[term]) {
      scores[posting.doc] += term_score(term, posting.frequency, docs_[posting.doc]);
    }
  }
  std::set<std::string> distinct_words(query_words.begin(), query_words.end());
  std::optional<FaqHit> best;
  for (const auto& [id, score] : scores) {
    const Doc& doc = docs_[id];
    std::size_t shared = 0;
    for (uint32_t word : known_words) shared += entry_words_[doc.entry].count(word);
    double query_coverage = static_cast<double>(shared) / static_cast<double>(distinct_words.size());
    double confidence = std::sqrt(std::min(1.0, score / doc.self_score) * query_coverage);
    if (!best || confidence > best->score) best = FaqHit{doc.entry, confidence};
  }
  return best;
}

}  // namespace switchboard::plugins::faq
