// Reading a customer's answer to the rating question (CSAT). Strict on
// purpose: a message that is not clearly a rating runs through the bot as a
// question. Accepted (docs/api.md, "CSAT"):
//   "5", "5 sao", "5/5", "5 ⭐", "⭐⭐⭐⭐⭐" (1-5 stars, ⭐ or ★), optionally
//   followed by a comment: after a separator (, . ; : ! - or a new line) for
//   a bare digit ("4, nhân viên nhiệt tình"), after a space for the others
//   ("2 sao vì chờ lâu"). Words alone ("tốt", "hài lòng") are not ratings.
//
// Pure functions; any thread.
#pragma once

#include <optional>
#include <string>

namespace switchboard::team {

struct CsatAnswer {
  int rating = 0;       // 1-5
  std::string comment;  // "" when none
};

std::optional<CsatAnswer> parse_csat_answer(const std::string& text);

}  // namespace switchboard::team
