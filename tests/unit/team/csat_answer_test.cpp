// The rating grammar: strict, so ordinary questions still reach the bot.
#include <doctest/doctest.h>

#include "team/csat_answer.hpp"

using switchboard::team::parse_csat_answer;

namespace {
int rating_of(const std::string& text) {
  auto answer = parse_csat_answer(text);
  return answer ? answer->rating : 0;
}
}  // namespace

TEST_CASE("digits, stars and 'sao' are ratings") {
  CHECK(rating_of("5") == 5);
  CHECK(rating_of(" 1 ") == 1);
  CHECK(rating_of("4 sao") == 4);
  CHECK(rating_of("3 SAO") == 3);
  CHECK(rating_of("5/5") == 5);
  CHECK(rating_of("5 ⭐") == 5);
  CHECK(rating_of("⭐⭐⭐") == 3);
  CHECK(rating_of("★★★★") == 4);
  CHECK(rating_of("⭐️⭐️") == 2);  // with variation selectors
}

TEST_CASE("a comment may follow the rating") {
  auto answer = parse_csat_answer("4, nhân viên nhiệt tình");
  REQUIRE(answer);
  CHECK(answer->rating == 4);
  CHECK(answer->comment == "nhân viên nhiệt tình");
  answer = parse_csat_answer("2 sao vì chờ lâu");
  REQUIRE(answer);
  CHECK(answer->comment == "vì chờ lâu");
  answer = parse_csat_answer("5\nCảm ơn nhiều");
  REQUIRE(answer);
  CHECK(answer->comment == "Cảm ơn nhiều");
  CHECK(parse_csat_answer("5")->comment.empty());
}

TEST_CASE("everything else is a question for the bot") {
  CHECK(rating_of("") == 0);
  CHECK(rating_of("0") == 0);
  CHECK(rating_of("6") == 0);
  CHECK(rating_of("10") == 0);
  CHECK(rating_of("50k") == 0);
  CHECK(rating_of("1 ngày nữa em qua") == 0);
  CHECK(rating_of("tốt") == 0);
  CHECK(rating_of("saoo") == 0);
  CHECK(rating_of("⭐⭐⭐⭐⭐⭐") == 0);
  CHECK(rating_of("3 saokhue") == 0);
}
