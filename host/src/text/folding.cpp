// NFC and folding on top of utf8proc, with an ASCII fast path: most
// messages that reach the intent matcher are already plain ASCII
// ("dat lich kham"), and those never allocate through utf8proc.
#include "text/folding.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace switchboard::text {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<utf8proc_uint8_t, FreeDeleter>;

bool is_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Applied by utf8proc to each code point before decomposing: đ is a letter
// of its own (no combining mark to strip), so it is mapped here.
utf8proc_int32_t map_d_bar(utf8proc_int32_t c, void*) { return c == 0x0110 || c == 0x0111 ? 'd' : c; }

std::string run_map(std::string_view text, utf8proc_option_t options, utf8proc_custom_func custom) {
  utf8proc_uint8_t* out = nullptr;
  auto input = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t n =
      utf8proc_map_custom(input, static_cast<utf8proc_ssize_t>(text.size()), &out, options, custom, nullptr);
  Buffer owned(out);
  if (n < 0) throw InvalidUtf8();
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

bool is_word_char(utf8proc_int32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return true;
    default: return false;
  }
}

// Keeps letters and digits, one space between runs of anything else.
std::string collapse(std::string_view folded) {
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  auto p = reinterpret_cast<const utf8proc_uint8_t*>(folded.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(folded.size());
  while (left > 0) {
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t used = utf8proc_iterate(p, left, &c);
    if (used <= 0) throw InvalidUtf8();
    if (is_word_char(c)) {
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(used));
    } else {
      pending_space = true;
    }
    p += used;
    left -= used;
  }
  return out;
}

std::string fold_ascii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!word) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
  }
  return out;
}

}  // namespace

std::string to_nfc(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  return run_map(text, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE), nullptr);
}

std::string fold(std::string_view text) {
  if (is_ascii(text)) return fold_ascii(text);
  auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                                                UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
  return collapse(run_map(text, options, &map_d_bar));
}

}  // namespace switchboard::text
