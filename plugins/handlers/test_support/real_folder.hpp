// The host's real text folder with the shipped shorthand table, for FakeHost:
// handler tests fold exactly as the running host does.
#pragma once

#include <memory>

#include "text/shorthand.hpp"
#include "text/text_folder.hpp"

namespace switchboard::testing {

inline const text::TextFolder& real_folder() {
  static const text::TextFolder folder(
      std::make_shared<const text::Shorthand>(text::Shorthand::load(SWITCHBOARD_INTENTS_DIR "/shorthand.json")));
  return folder;
}

}  // namespace switchboard::testing
