// Unicode normalisation and the folded form of text, the one definition the
// host, its handlers and the ABI's text_fold share.
//
// The folded form is what Vietnamese matching runs on: customers type with or
// without diacritics, in NFC or NFD, in any case. fold("Đặt LỊCH khám!!")
// == "dat lich kham". utf8proc does the Unicode work (decomposition, case
// folding, mark stripping), so no table of accented letters lives here; đ/Đ
// are the one exception because they are letters of their own, not d + mark.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace switchboard::text {

class InvalidUtf8 : public std::invalid_argument {
 public:
  InvalidUtf8() : std::invalid_argument("text is not valid UTF-8") {}
};

// Canonical composition (NFC). Throws InvalidUtf8.
std::string to_nfc(std::string_view text);

// Lower case, compatibility-decomposed, combining marks removed, đ→d; every
// run of characters that are not letters or digits becomes one space; no
// leading or trailing space. Throws InvalidUtf8.
std::string fold(std::string_view text);

}  // namespace switchboard::text
