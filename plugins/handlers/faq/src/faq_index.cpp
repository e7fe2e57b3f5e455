// BM25 (k1 = 1.2, b = 0.75) over unigrams and bigrams of folded text.
#include "faq_index.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace switchboard::plugins::faq {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// A unigram's key is its word id; a pair's is both ids, the first shifted
// up by one so that no pair collides with a unigram.
uint64_t unigram_key(uint32_t word) { return word; }
uint64_t bigram_key(uint32_t first, uint32_t second) { return (uint64_t{first} + 1) << 32 | second; }

}  // namespace

uint32_t FaqIndex::intern_word(std::string_view word) {
  auto it = word_ids_.find(word);
  if (it != word_ids_.end()) return it->second;
  auto id = static_cast<uint32_t>(lexicon_.size());
  lexicon_.emplace_back(word);
  word_ids_.emplace(lexicon_.back(), id);
  stop_.push_back(false);
  return id;
}

uint32_t FaqIndex::intern_term(uint64_t key, bool bigram) {
  auto [it, fresh] = term_ids_.emplace(key, static_cast<uint32_t>(postings_.size()));
  if (fresh) {
    postings_.emplace_back();
    bigram_.push_back(bigram);
  }
  return it->second;
}

std::vector<FaqIndex::Word> FaqIndex::words(std::string_view folded) const {
  std::vector<Word> out;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t space = folded.find(' ', start);
    if (space == std::string_view::npos) space = folded.size();
    std::string_view word = folded.substr(start, space - start);
    start = space + 1;
    if (word.empty()) continue;
    auto it = word_ids_.find(word);
    if (it == word_ids_.end()) {
      out.push_back(Word{word, kUnknown});
    } else if (!stop_[it->second]) {
      out.push_back(Word{word, it->second});
    }
  }
  return out;
}

// Pairs reward the wording of a variant over the same words scattered
// through a message.
void FaqIndex::query_terms(const std::vector<Word>& words, std::vector<uint32_t>& out) const {
  auto add = [&](uint64_t key) {
    auto it = term_ids_.find(key);
    if (it != term_ids_.end()) out.push_back(it->second);
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].id == kUnknown) continue;
    add(unigram_key(words[i].id));
    if (i > 0 && words[i - 1].id != kUnknown) add(bigram_key(words[i - 1].id, words[i].id));
  }
}

FaqIndex::FaqIndex(const std::vector<std::vector<std::string>>& questions, std::set<std::string> stopwords) {
  for (const std::string& stopword : stopwords) stop_[intern_word(stopword)] = true;
  double total_length = 0;
  for (std::size_t entry = 0; entry < questions.size(); ++entry) {
    for (const std::string& question : questions[entry]) {
      // Intern the variant's words first, so words() sees them all.
      for (std::size_t start = 0; start < question.size();) {
        std::size_t space = std::min(question.find(' ', start), question.size());
        if (space > start) intern_word(std::string_view(question).substr(start, space - start));
        start = space + 1;
      }
      std::map<uint32_t, uint32_t> counts;
      std::vector<Word> variant_words = words(question);
      for (std::size_t i = 0; i < variant_words.size(); ++i) {
        ++counts[intern_term(unigram_key(variant_words[i].id), false)];
        if (i > 0) ++counts[intern_term(bigram_key(variant_words[i - 1].id, variant_words[i].id), true)];
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
  std::vector<Word> query_words = words(folded_query);
  if (query_words.empty() || docs_.empty()) return std::nullopt;
  std::vector<uint32_t> query_terms_found;
  query_terms(query_words, query_terms_found);
  std::sort(query_terms_found.begin(), query_terms_found.end());
  query_terms_found.erase(std::unique(query_terms_found.begin(), query_terms_found.end()), query_terms_found.end());
  std::vector<std::string_view> texts;
  for (const Word& word : query_words) texts.push_back(word.text);
  std::sort(texts.begin(), texts.end());
  auto distinct_words = static_cast<double>(std::unique(texts.begin(), texts.end()) - texts.begin());

  // Per-thread scratch sized to the index: score and shared words per
  // variant, and which variants were touched (so only those are reset).
  thread_local std::vector<Tally> tally_scratch;
  thread_local std::vector<uint32_t> touched_scratch;
  std::vector<Tally>& tally = tally_scratch;
  std::vector<uint32_t>& touched = touched_scratch;
  if (tally.size() < docs_.size()) tally.resize(docs_.size());
  touched.clear();
  for (uint32_t term : query_terms_found) {
    const uint32_t counts_as_word = bigram_[term] ? 0 : 1;
    for (const Posting& posting : postings_[term]) {
      Tally& t = tally[posting.doc];
      if (t.score == 0.0) touched.push_back(posting.doc);
      t.score += posting.weight;
      t.shared += counts_as_word;
    }
  }
  // confidence = sqrt(min(1, score / self_score) * shared / distinct_words):
  // rank by what is under the root without the common divisor, root once.
  double best_square = -1;
  const Doc* best_doc = nullptr;
  for (uint32_t id : touched) {
    const Doc& doc = docs_[id];
    Tally& t = tally[id];
    double square = std::min(1.0, t.score / doc.self_score) * t.shared;
    if (square > best_square) {
      best_square = square;
      best_doc = &doc;
    }
    t = Tally{};
  }
  if (best_doc == nullptr) return std::nullopt;
  return FaqHit{best_doc->entry, std::sqrt(best_square / distinct_words)};
}

}  // namespace switchboard::plugins::faq
