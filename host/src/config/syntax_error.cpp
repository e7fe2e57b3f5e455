// nlohmann reports "syntax error while parsing <context> - <detail>" with the
// offset of the last byte it read. We rephrase the detail and move the
// position back to where the offending token starts, which is where an editor
// should put the cursor.
#include "config/syntax_error.hpp"

#include <algorithm>
#include <cstring>

namespace switchboard::config {

namespace {

// The parts of nlohmann's message. Either `found` (an unexpected token) or
// `lexer_error` (a token that could not be read at all) is set.
struct ParserComplaint {
  std::string context;      // "object", "object key", "array", "value", …
  std::string found;        // nlohmann's token name, e.g. "string literal"
  std::string expected;     // nlohmann's token name, may be empty
  std::string lexer_error;  // e.g. "invalid literal"
};

std::string after(const std::string& text, const std::string& marker) {
  auto pos = text.find(marker);
  return pos == std::string::npos ? std::string() : text.substr(pos + marker.size());
}

std::string before(const std::string& text, const std::string& marker) { return text.substr(0, text.find(marker)); }

ParserComplaint split_message(const std::string& what) {
  ParserComplaint complaint;
  std::string message = after(what, "syntax error ");
  complaint.context = before(after(message, "while parsing "), " - ");
  std::string detail = after(message, "- ");
  if (detail.rfind("unexpected ", 0) == 0) {
    std::string rest = detail.substr(std::strlen("unexpected "));
    complaint.found = before(rest, "; expected ");
    complaint.expected = after(rest, "; expected ");
    return complaint;
  }
  // "<lexer error>; last read: '<token text>'[; expected <token>]". The token
  // text may contain anything, so the expected part is searched from the end.
  complaint.lexer_error = before(detail, "; last read: ");
  auto expected = detail.rfind("; expected ");
  auto last_read = detail.find("; last read: ");
  if (expected != std::string::npos && last_read != std::string::npos && expected > last_read) {
    complaint.expected = detail.substr(expected + std::strlen("; expected "));
  }
  return complaint;
}

// nlohmann's token names, as a person would say them.
std::string token_phrase(const std::string& token) {
  if (token == "string literal") return "a string";
  if (token == "number literal") return "a number";
  if (token == "true literal") return "'true'";
  if (token == "false literal") return "'false'";
  if (token == "null literal") return "'null'";
  if (token == "end of input") return "the end of the file";
  if (token == "'[', '{', or a literal") return "a value";
  return token;
}

bool starts_value(const std::string& token) {
  return token.find("literal") != std::string::npos || token == "'{'" || token == "'['";
}

std::string lexer_reason(const std::string& lexer_error) {
  if (lexer_error == "invalid literal") {
    return "invalid value (strings need double quotes; true, false and null are lower case)";
  }
  if (lexer_error == "invalid comment; missing closing '*/'") return "unterminated comment: missing closing '*/'";
  return lexer_error;
}

std::string unexpected_token_reason(const ParserComplaint& c) {
  std::string found = token_phrase(c.found);
  if (c.found == "end of input") return "unexpected end of the file; expected " + token_phrase(c.expected);
  if (c.context == "object" && c.expected == "'}'") {
    return "expected ',' or '}' but found " + found + (starts_value(c.found) ? "; is a comma missing?" : "");
  }
  if (c.context == "array" && c.expected == "']'") {
    return "expected ',' or ']' but found " + found + (starts_value(c.found) ? "; is a comma missing?" : "");
  }
  if (c.context == "object key") {
    std::string reason = "expected a key in double quotes but found " + found;
    return c.found == "'}'" ? reason + "; is there a trailing comma?" : reason;
  }
  if (c.context == "object separator") return "expected ':' after the key but found " + found;
  if (c.context == "value" && (c.found == "']'" || c.found == "'}'")) {
    return "expected a value but found " + found + "; is there a trailing comma?";
  }
  return "unexpected " + found + (c.expected.empty() ? "" : "; expected " + token_phrase(c.expected));
}

std::string reason_for(const ParserComplaint& c) {
  // Whatever went wrong, text after a complete document is the real story.
  if (c.expected == "end of input") {
    if (!c.lexer_error.empty()) return "unexpected text after the end of the document";
    return "unexpected " + token_phrase(c.found) + " after the end of the document";
  }
  if (!c.lexer_error.empty()) return lexer_reason(c.lexer_error);
  return unexpected_token_reason(c);
}

// The offset where the token ending at `last` starts. nlohmann only tells us
// where it stopped reading, which for a string is its closing quote.
std::size_t token_start(std::string_view text, std::size_t last, const std::string& token) {
  if (last >= text.size()) return last;
  if (token == "string literal") {
    for (std::size_t i = last; i-- > 0;) {
      if (text[i] != '"') continue;
      std::size_t backslashes = 0;
      while (i > backslashes && text[i - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return last;
  }
  if (token == "number literal") {
    std::size_t start = last;
    while (start > 0 && std::strchr("0123456789+-.eE", text[start - 1]) != nullptr) --start;
    return start;
  }
  std::size_t length = token == "true literal" || token == "null literal" ? 4 : token == "false literal" ? 5 : 1;
  return last + 1 >= length ? last + 1 - length : last;
}

}  // namespace

TextPosition position_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  TextPosition position;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++position.column;  // count only the first byte of each UTF-8 sequence
    }
  }
  return position;
}

SyntaxError describe_syntax_error(std::string_view text, const nlohmann::json::parse_error& error) {
  ParserComplaint complaint = split_message(error.what());
  // error.byte is 1-based: the count of bytes read, the last one included.
  std::size_t last = error.byte > 0 ? error.byte - 1 : 0;
  std::size_t offset = complaint.lexer_error.empty() ? token_start(text, last, complaint.found) : last;
  return SyntaxError{position_at(text, offset), reason_for(complaint)};
}

}  // namespace switchboard::config
