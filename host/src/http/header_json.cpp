// Header object building and the UTF-8 repair it needs.
#include "http/header_json.hpp"

#include <algorithm>

namespace switchboard::http {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 (RFC 3629:
// no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char min_second = 0x80;
  unsigned char max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;
    if (lead == 0xED) max_second = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;
    if (lead == 0xF4) max_second = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// The two-character escapes JSON has for some control characters, or null.
const char* brief_escape(char c) {
  switch (c) {
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return nullptr;
  }
}

// A JSON string literal of valid UTF-8 text, escaped as RFC 8259 asks and
// as nlohmann::json writes it: quote, backslash and control characters;
// everything else as is.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (const char* brief = brief_escape(c)) {
      out += brief;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(text, i, length);
    i += length;
  }
  return out;
}

std::string header_json(const std::vector<std::pair<std::string_view, std::string_view>>& headers) {
  std::vector<std::pair<std::string, std::string>> fields;
  fields.reserve(headers.size());
  for (const auto& [name, value] : headers) fields.emplace_back(valid_utf8(lower_case(name)), valid_utf8(value));
  // Stable: repeats of a name keep their arrival order for the join.
  std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t kept = 0;
  for (auto& field : fields) {
    if (kept > 0 && fields[kept - 1].first == field.first) {
      fields[kept - 1].second.append(", ").append(field.second);
      continue;
    }
    if (&fields[kept] != &field) fields[kept] = std::move(field);
    ++kept;
  }
  std::string out = "{";
  for (std::size_t i = 0; i < kept; ++i) {
    if (i > 0) out += ',';
    append_json_string(out, fields[i].first);
    out += ':';
    append_json_string(out, fields[i].second);
  }
  out += '}';
  return out;
}

}  // namespace switchboard::http
