// Dispatch of the ABI's fold forms.
#include "text/text_folder.hpp"

#include <switchboard/plugin.h>

#include "text/folding.hpp"

namespace switchboard::text {

std::string fold_expand(std::string_view text, const Shorthand* shorthand) {
  std::string folded = fold(text);
  if (shorthand != nullptr) return shorthand->expand(folded);
  std::string out;
  out.reserve(folded.size());
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t space = folded.find(' ', start);
    if (space == std::string::npos) space = folded.size();
    if (!out.empty()) out.push_back(' ');
    out += collapse_repeats(std::string_view(folded).substr(start, space - start));
    start = space + 1;
  }
  return out;
}

std::string TextFolder::operator()(std::string_view text, int32_t form) const {
  switch (form) {
    case SB_TEXT_NFC: return to_nfc(text);
    case SB_TEXT_FOLD: return fold(text);
    case SB_TEXT_FOLD_EXPAND: return fold_expand(text, shorthand_.get());
    default: throw UnsupportedForm();
  }
}

}  // namespace switchboard::text
