// The text_fold results of one pipeline run. The steps of a message ask for
// the same forms of the same text (intent folds and NFCs it, faq and the
// handoff keyword rules fold it again); the memo folds each (text, form) once
// and answers repeats with a comparison. A run holds it; one thread uses it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/text_folder.hpp"

namespace switchboard::text {

class FoldMemo {
 public:
  // The form of `text`, folded by `folder` on first request. The reference
  // is valid until the next call (remembered answers: as long as the memo). Throws what TextFolder throws (nothing is
  // remembered then).
  const std::string& fold(const TextFolder& folder, std::string_view text, int32_t form);

 private:
  struct Entry {
    int32_t form;
    std::string text;
    std::string folded;
  };
  // A run folds two or three texts; past this, further ones are not kept (a
  // plugin folding every FAQ variant per message must not grow the memo).
  static constexpr std::size_t kCapacity = 8;

  std::vector<Entry> entries_;
  std::string overflow_;  // backs the answer when the memo is full
};

}  // namespace switchboard::text
