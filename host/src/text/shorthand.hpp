// Shorthand and teencode expansion on folded text ("gia kham bn vay ad" ->
// "gia kham bao nhieu vay admin"), from a data file in intents/.
//
// Works on whole tokens of the folded form only (never substrings: "k" must
// not touch "kham"). Unambiguous forms map directly; ambiguous ones (bn, pk,
// dk, ck, hs, nv…) carry ordered context rules and stay as typed when no rule
// applies — a wrong guess is worse than no expansion. Immutable once loaded,
// so any thread may call expand().
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::text {

class ShorthandError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One context rule of an ambiguous form: every condition given must hold.
struct ContextRule {
  std::string expansion;
  std::set<std::string> prev;  // the token before is one of these
  std::set<std::string> next;  // the token after is one of these
  bool next_number = false;    // the token after starts with a digit
  bool prev_number = false;    // the token before starts with a digit
  bool at_start = false;       // first token of the message
  bool at_end = false;         // last token of the message
};

class Shorthand {
 public:
  // Parses the data file format (see intents/README.md); `where` names the
  // source in errors. Keys must already be in folded form. Throws ShorthandError.
  static Shorthand from_json(const nlohmann::json& document, const std::string& where);
  static Shorthand load(const std::filesystem::path& file);

  // Expands the tokens of folded text (single spaces between tokens, as
  // fold() produces) and collapses letters repeated three or more times.
  std::string expand(std::string_view folded) const;

  std::size_t size() const { return tokens_.size() + ambiguous_.size(); }

 private:
  // What token i becomes: a view into the table, or the token itself.
  std::string_view resolve(const std::vector<std::string_view>& tokens, std::size_t i) const;

  std::map<std::string, std::string, std::less<>> tokens_;
  std::map<std::string, std::vector<ContextRule>, std::less<>> ambiguous_;
  std::size_t longest_key_ = 0;  // longer tokens are never in the table
};

// Letters repeated for emphasis ("nhieuuu", "oiiii") collapse to one.
std::string collapse_repeats(std::string_view token);

}  // namespace switchboard::text
