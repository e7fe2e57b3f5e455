// Turns nlohmann's parse_error into "line:col: reason" a person can act on:
// the position of the offending token (not of the character after it) and a
// reason phrased as what was expected and what was found.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace switchboard::config {

// A 1-based position in a text. Columns count Unicode characters (code
// points), not bytes, so "đặt lịch" is 8 columns wide as an editor shows it;
// a tab counts as one column.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

// The position of the byte at `offset` (0-based); an offset at or past the
// end gives the position just after the last character.
TextPosition position_at(std::string_view text, std::size_t offset);

struct SyntaxError {
  TextPosition position;
  std::string reason;
};

// Describes a parse error nlohmann raised while parsing `text`.
SyntaxError describe_syntax_error(std::string_view text, const nlohmann::json::parse_error& error);

}  // namespace switchboard::config
