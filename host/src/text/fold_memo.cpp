#include "text/fold_memo.hpp"

namespace switchboard::text {

const std::string& FoldMemo::fold(const TextFolder& folder, std::string_view text, int32_t form) {
  for (const Entry& entry : entries_) {
    if (entry.form == form && entry.text == text) return entry.folded;
  }
  std::string folded = folder(text, form);
  if (entries_.size() >= kCapacity) {
    overflow_ = std::move(folded);
    return overflow_;
  }
  if (entries_.empty()) entries_.reserve(kCapacity);  // entries never move: answers stay put
  entries_.push_back(Entry{form, std::string(text), std::move(folded)});
  return entries_.back().folded;
}

}  // namespace switchboard::text
