// Folding is what every Vietnamese matcher runs on: the same folded form for
// NFC and NFD input, any case, with or without diacritics.
#include <doctest/doctest.h>

#include "text/folding.hpp"

using switchboard::text::fold;
using switchboard::text::InvalidUtf8;
using switchboard::text::to_nfc;

TEST_CASE("NFC composes decomposed Vietnamese and leaves ASCII alone") {
  CHECK(to_nfc("kha\xcc\x81m") == "kh\xc3\xa1m");  // a + combining acute -> á
  CHECK(to_nfc("dat lich kham") == "dat lich kham");
  CHECK(to_nfc("\xc4\x91\xe1\xba\xb7t") == "\xc4\x91\xe1\xba\xb7t");  // đặt is already NFC
}

TEST_CASE("folding removes tone and vowel marks, maps đ, lowers case") {
  CHECK(fold("Đặt LỊCH khám") == "dat lich kham");
  CHECK(fold("học phí bao nhiêu?") == "hoc phi bao nhieu");
  CHECK(fold("Ưu đãi ĐẶC BIỆT") == "uu dai dac biet");
  CHECK(fold("giá khám bn vậy ad") == "gia kham bn vay ad");
}

TEST_CASE("NFC and NFD input fold the same") {
  std::string nfd = "kha\xcc\x81m be\xcc\xa3nh";  // khám bệnh, decomposed
  CHECK(fold(nfd) == "kham benh");
  CHECK(fold(nfd) == fold("khám bệnh"));
}

TEST_CASE("punctuation and whitespace collapse to single spaces, digits stay") {
  CHECK(fold("  giờ   mở cửa!!! 7h30-17h ") == "gio mo cua 7h30 17h");
  CHECK(fold("0901.234.567") == "0901 234 567");
  CHECK(fold("...") == "");
  CHECK(fold("") == "");
  CHECK(fold("Ｈｅｌｌｏ") == "hello");  // full-width letters, compatibility-decomposed
}

TEST_CASE("invalid UTF-8 is refused, not guessed at") {
  CHECK_THROWS_AS(fold("ab\xff"), InvalidUtf8);
  CHECK_THROWS_AS(to_nfc("\xc3"), InvalidUtf8);
}
