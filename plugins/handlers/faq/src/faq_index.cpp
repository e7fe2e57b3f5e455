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

std::vector<std::string_view> FaqIndex::words(std::string_view folded) const {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t space = folded.find(' ', start);
    if (space == std::string_view::npos) space = folded.size();
    std::string_view word = folded.substr(start, space - start);
    if (!word.empty() && stopwords_.find(word) == stopwords_.end()) out.push_back(word);
    start = space + 1;
  }
  return out;
}

// Words, then each adjacent pair ("gia kham"): pairs reward the wording of a
// variant over the same words scattered through a message.
std::vector<std::string> FaqIndex::terms(const std::vector<std::string_view>& words) const {
  std::vector<std::string> out(words.begin(), words.end());
  for (std::size_t i = 1; i < words.size(); ++i) out.push_back(out[i - 1] + " " + out[i]);
  return out;
}

FaqIndex::FaqIndex(const std::vector<std::vector<std::string>>& questions, std::set<std::string> stopwords)
    : stopwords_(stopwords.begin(), stopwords.end()) {
  double total_length = 0;
  for (std::size_t entry = 0; entry < questions.size(); ++entry) {
    for (const std::string& question : questions[entry]) {
      std::map<uint32_t, uint32_t> counts;
      for (const std::string& term : terms(words(question))) {
        auto [it, fresh] = vocabulary_.emplace(term, static_cast<uint32_t>(vocabulary_.size()));
        if (fresh) {
          postings_.emplace_back();
          bigram_.push_back(is_bigram(term));
        }
        ++counts[it->second];
      }
      if (counts.empty()) continue;
      Doc doc{entry, {counts.begin(), counts.end()}, 0};
      for (const auto& [term, frequency] : doc.terms) doc.length += frequency;
      total_length += doc.length;
      docs_.push_back(std::move(doc));
    }
  }
  if (!docs_.empty()) average_length_ = total_length / static_cast<double>(docs_.size());
  auto n = static_cast<double>(docs_.size());
  for (const auto& postings : postings_) {
    auto df = static_cast<double>(postings.size());
    idf_.push_back(std::log(1.0 + (n - df + 0.5) / (df + 0.5)));
  }
  for (std::size_t id = 0; id < docs_.size(); ++id) {
    Doc& doc = docs_[id];
    for (const auto& [term, frequency] : doc.terms) {
      double weight = term_score(term, frequency, doc);
      doc.self_score += weight;
      postings_[term].push_back(Posting{static_cast<uint32_t>(id), weight});
    }
  }
}

double FaqIndex::term_score(uint32_t term, uint32_t frequency, const Doc& doc) const {
  double tf = frequency;
  return idf_[term] * tf * (kK1 + 1) / (tf + kK1 * (1 - kB + kB * doc.length / average_length_));
}

std::optional<FaqHit> FaqIndex::best(std::string_view folded_query) const {
  std::vector<std::string_view> query_words = words(folded_query);
  if (query_words.empty() || docs_.empty()) return std::nullopt;
  std::vector<uint32_t> query_terms;
  for (const std::string& term : terms(query_words)) {
    auto it = vocabulary_.find(term);
    if (it != vocabulary_.end()) query_terms.push_back(it->second);
  }
  std::sort(query_terms.begin(), query_terms.end());
  query_terms.erase(std::unique(query_terms.begin(), query_terms.end()), query_terms.end());
  std::sort(query_words.begin(), query_words.end());
  auto distinct_words = static_cast<double>(std::unique(query_words.begin(), query_words.end()) - query_words.begin());

  // Per-thread scratch sized to the index: scores and shared words per
  // variant, and which variants were touched (so only those are reset).
  thread_local std::vector<double> scores;
  thread_local std::vector<uint32_t> shared;
  thread_local std::vector<uint32_t> touched;
  if (scores.size() < docs_.size()) {
    scores.resize(docs_.size(), 0.0);
    shared.resize(docs_.size(), 0);
  }
  touched.clear();
  for (uint32_t term : query_terms) {
    for (const Posting& posting : postings_[term]) {
      if (scores[posting.doc] == 0.0) touched.push_back(posting.doc);
      scores[posting.doc] += posting.weight;
      shared[posting.doc] += bigram_[term] ? 0 : 1;
    }
  }
  std::optional<FaqHit> best;
  for (uint32_t id : touched) {
    const Doc& doc = docs_[id];
    double query_coverage = shared[id] / distinct_words;
    double confidence = std::sqrt(std::min(1.0, scores[id] / doc.self_score) * query_coverage);
    if (!best || confidence > best->score) best = FaqHit{doc.entry, confidence};
    scores[id] = 0.0;
    shared[id] = 0;
  }
  return best;
}

}  // namespace switchboard::plugins::faq
