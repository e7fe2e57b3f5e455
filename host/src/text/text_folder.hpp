// The three text_fold forms of the ABI (SB_TEXT_NFC, SB_TEXT_FOLD,
// SB_TEXT_FOLD_EXPAND) in one callable: what the host's text_fold answers and
// what plugin unit tests hand to FakeHost::set_text_folder, so both fold alike.
//
// Immutable after construction; any thread may call it.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "text/shorthand.hpp"

namespace switchboard::text {

class UnsupportedForm : public std::invalid_argument {
 public:
  UnsupportedForm() : std::invalid_argument("unknown text_fold form") {}
};

class TextFolder {
 public:
  // Without a shorthand table, SB_TEXT_FOLD_EXPAND still collapses repeated
  // letters but expands nothing.
  explicit TextFolder(std::shared_ptr<const Shorthand> shorthand = nullptr) : shorthand_(std::move(shorthand)) {}

  // Throws InvalidUtf8, or UnsupportedForm for a form the ABI does not define.
  std::string operator()(std::string_view text, int32_t form) const;

  const Shorthand* shorthand() const { return shorthand_.get(); }

 private:
  std::shared_ptr<const Shorthand> shorthand_;
};

// fold() followed by the shorthand expansion.
std::string fold_expand(std::string_view text, const Shorthand* shorthand);

}  // namespace switchboard::text
