// The grammar of a rating reply; see csat_answer.hpp.
#include "team/csat_answer.hpp"

#include <cctype>
#include <string_view>

namespace switchboard::team {
namespace {

constexpr std::string_view kStars[] = {"\xE2\xAD\x90", "\xE2\x98\x85"};  // ⭐ ★
constexpr std::string_view kVariationSelector = "\xEF\xB8\x8F";          // U+FE0F after an emoji

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool eat(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// Consumes one star (with its optional variation selector).
bool eat_star(std::string_view& s) {
  for (std::string_view star : kStars) {
    if (eat(s, star)) {
      eat(s, kVariationSelector);
      return true;
    }
  }
  return false;
}

int eat_stars(std::string_view& s) {
  int count = 0;
  for (;;) {
    std::string_view rest = trim(s);
    if (!eat_star(rest)) return count;
    s = rest;
    ++count;
  }
}

// "sao" / "SAO" / "Sao" as a whole word.
bool eat_sao(std::string_view& s) {
  std::string_view rest = trim(s);
  if (rest.size() < 3) return false;
  std::string word;
  for (char c : rest.substr(0, 3)) word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (word != "sao") return false;
  if (rest.size() > 3 && std::isalnum(static_cast<unsigned char>(rest[3]))) return false;
  s = rest.substr(3);
  return true;
}

bool is_separator(char c) { return std::string_view(",.;:!-\n").find(c) != std::string_view::npos; }

// What follows the rating: nothing, or a comment introduced the allowed way.
std::optional<std::string> comment_after(std::string_view rest, bool space_is_enough) {
  if (trim(rest).empty()) return std::string();
  std::string_view lead = rest;
  while (!lead.empty() && (lead.front() == ' ' || lead.front() == '\t')) lead.remove_prefix(1);
  bool separated = is_separator(lead.front());
  if (!separated && !(space_is_enough && lead.size() < rest.size())) return std::nullopt;
  while (!lead.empty() && (is_separator(lead.front()) || is_space(lead.front()))) lead.remove_prefix(1);
  return std::string(trim(lead));
}

std::optional<CsatAnswer> answer(int rating, std::string_view rest, bool space_is_enough) {
  if (rating < 1 || rating > 5) return std::nullopt;
  auto comment = comment_after(rest, space_is_enough);
  if (!comment) return std::nullopt;
  return CsatAnswer{rating, *comment};
}

}  // namespace

std::optional<CsatAnswer> parse_csat_answer(const std::string& text) {
  std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (int stars = eat_stars(s); stars > 0) return answer(stars, s, true);
  if (s.front() < '1' || s.front() > '5') return std::nullopt;
  int rating = s.front() - '0';
  s.remove_prefix(1);
  if (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) return std::nullopt;  // "10", "50k"
  bool unit = eat(s, "/5") || eat_sao(s) || eat_stars(s) > 0;
  return answer(rating, s, unit);
}

}  // namespace switchboard::team
