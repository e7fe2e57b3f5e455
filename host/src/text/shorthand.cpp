// Loading the shorthand table and expanding tokens with context rules.
#include "text/shorthand.hpp"

#include <algorithm>

#include <fstream>
#include <sstream>

namespace switchboard::text {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool starts_with_digit(std::string_view s) { return !s.empty() && is_digit(s.front()); }

// Folded keys: lower-case ASCII letters and digits only, as fold() makes them
// for shorthand; anything else could never match and is a data error.
bool is_folded_token(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || is_digit(c))) return false;
  }
  return true;
}

std::set<std::string> word_set(const nlohmann::json& rule, const char* key, const std::string& where) {
  std::set<std::string> words;
  auto it = rule.find(key);
  if (it == rule.end()) return words;
  if (!it->is_array()) throw ShorthandError(where + ": '" + key + "' must be an array of words");
  for (const auto& word : *it) {
    if (!word.is_string()) throw ShorthandError(where + ": '" + key + "' must be an array of words");
    words.insert(word.get<std::string>());
  }
  return words;
}

bool flag(const nlohmann::json& rule, const char* key) {
  auto it = rule.find(key);
  return it != rule.end() && it->is_boolean() && it->get<bool>();
}

ContextRule read_rule(const nlohmann::json& rule, const std::string& where) {
  if (!rule.is_object() || !rule.contains("expand") || !rule["expand"].is_string()) {
    throw ShorthandError(where + ": a rule is an object with an \"expand\" string");
  }
  ContextRule out;
  out.expansion = rule["expand"].get<std::string>();
  out.prev = word_set(rule, "prev", where);
  out.next = word_set(rule, "next", where);
  out.next_number = flag(rule, "next_number");
  out.prev_number = flag(rule, "prev_number");
  out.at_start = flag(rule, "at_start");
  out.at_end = flag(rule, "at_end");
  return out;
}

bool rule_holds(const ContextRule& rule, const std::vector<std::string_view>& tokens, std::size_t i) {
  std::string_view prev = i > 0 ? tokens[i - 1] : std::string_view();
  std::string_view next = i + 1 < tokens.size() ? tokens[i + 1] : std::string_view();
  // Tokens are short: std::string keeps them inline, without allocating.
  if (!rule.prev.empty() && (prev.empty() || rule.prev.count(std::string(prev)) == 0)) return false;
  if (!rule.next.empty() && (next.empty() || rule.next.count(std::string(next)) == 0)) return false;
  if (rule.next_number && !starts_with_digit(next)) return false;
  if (rule.prev_number && !starts_with_digit(prev)) return false;
  if (rule.at_start && i != 0) return false;
  if (rule.at_end && i + 1 != tokens.size()) return false;
  return true;
}

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t space = text.find(' ', start);
    if (space == std::string_view::npos) space = text.size();
    if (space > start) tokens.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  return tokens;
}

// A letter three times in a row somewhere.
bool has_repeats(std::string_view text) {
  for (std::size_t i = 2; i < text.size(); ++i) {
    if (text[i] == text[i - 1] && text[i] == text[i - 2] && text[i] >= 'a' && text[i] <= 'z') return true;
  }
  return false;
}

}  // namespace

std::string collapse_repeats(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size();) {
    std::size_t run = 1;
    while (i + run < token.size() && token[i + run] == token[i]) ++run;
    bool letter = token[i] >= 'a' && token[i] <= 'z';
    out.append(letter && run >= 3 ? 1 : run, token[i]);
    i += run;
  }
  return out;
}

Shorthand Shorthand::from_json(const nlohmann::json& document, const std::string& where) {
  if (!document.is_object()) throw ShorthandError(where + ": must be a JSON object");
  Shorthand table;
  const nlohmann::json tokens = document.value("tokens", nlohmann::json::object());
  if (!tokens.is_object()) throw ShorthandError(where + ": \"tokens\" must be an object of form -> expansion");
  for (const auto& [key, value] : tokens.items()) {
    if (!is_folded_token(key) || !value.is_string()) {
      throw ShorthandError(where + ": tokens/" + key + ": keys are folded words (a-z, 0-9), values strings");
    }
    table.tokens_[key] = value.get<std::string>();
    table.longest_key_ = std::max(table.longest_key_, key.size());
  }
  const nlohmann::json ambiguous = document.value("ambiguous", nlohmann::json::object());
  if (!ambiguous.is_object()) throw ShorthandError(where + ": \"ambiguous\" must be an object of form -> rules");
  for (const auto& [key, rules] : ambiguous.items()) {
    std::string at = where + ": ambiguous/" + key;
    if (!is_folded_token(key) || !rules.is_array()) throw ShorthandError(at + ": a folded word with an array of rules");
    if (table.tokens_.count(key) != 0) throw ShorthandError(at + ": also listed under \"tokens\"");
    for (const auto& rule : rules) table.ambiguous_[key].push_back(read_rule(rule, at));
    table.longest_key_ = std::max(table.longest_key_, key.size());
  }
  return table;
}

Shorthand Shorthand::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ShorthandError(file.string() + ": cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto document = nlohmann::json::parse(buffer.str(), nullptr, false, true);
  if (document.is_discarded()) throw ShorthandError(file.string() + ": not valid JSON");
  return from_json(document, file.string());
}

std::string_view Shorthand::resolve(const std::vector<std::string_view>& tokens, std::size_t i) const {
  std::string_view token = tokens[i];
  if (token.size() > longest_key_) return token;  // most words: no table lookup at all
  if (auto it = tokens_.find(token); it != tokens_.end()) return it->second;
  auto it = ambiguous_.find(token);
  if (it == ambiguous_.end()) return token;
  for (const ContextRule& rule : it->second) {
    if (rule_holds(rule, tokens, i)) return rule.expansion;
  }
  return token;  // no rule applies: keep what was typed
}

std::string Shorthand::expand(std::string_view folded) const {
  // Collapsing is rare ("nhieuuu"), so the copy is made only when needed.
  std::string collapsed;
  if (has_repeats(folded)) {
    for (std::string_view token : split(folded)) collapsed += (collapsed.empty() ? "" : " ") + collapse_repeats(token);
    folded = collapsed;
  }
  std::vector<std::string_view> tokens = split(folded);
  std::string out;
  out.reserve(folded.size() + 16);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::string_view word = resolve(tokens, i);
    if (word.empty()) continue;  // a form mapped to "" is dropped
    if (!out.empty()) out.push_back(' ');
    out += word;
  }
  return out;
}

}  // namespace switchboard::text
