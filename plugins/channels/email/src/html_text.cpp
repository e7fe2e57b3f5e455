// A deliberately small HTML reader: mail HTML only needs its text and line
// structure, not a DOM. Unknown entities are kept as written.
#include "html_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace switchboard::plugins::email {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Latin-1 letters (Vietnamese mail uses many), spaces, quotes and dashes.
constexpr std::pair<const char*, uint32_t> kNamedEntities[] = {
    {"nbsp", 0xA0},     {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"copy", 0xA9},     {"reg", 0xAE},     {"laquo", 0xAB},   {"raquo", 0xBB},   {"middot", 0xB7},  {"ndash", 0x2013},
    {"mdash", 0x2014},  {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bull", 0x2022},
    {"hellip", 0x2026}, {"euro", 0x20AC},  {"trade", 0x2122}, {"Agrave", 0xC0},  {"Aacute", 0xC1},  {"Acirc", 0xC2},
    {"Atilde", 0xC3},   {"Egrave", 0xC8},  {"Eacute", 0xC9},  {"Ecirc", 0xCA},   {"Igrave", 0xCC},  {"Iacute", 0xCD},
    {"Ograve", 0xD2},   {"Oacute", 0xD3},  {"Ocirc", 0xD4},   {"Otilde", 0xD5},  {"Ugrave", 0xD9},  {"Uacute", 0xDA},
    {"Yacute", 0xDD},   {"agrave", 0xE0},  {"aacute", 0xE1},  {"acirc", 0xE2},   {"atilde", 0xE3},  {"egrave", 0xE8},
    {"eacute", 0xE9},   {"ecirc", 0xEA},   {"igrave", 0xEC},  {"iacute", 0xED},  {"ograve", 0xF2},  {"oacute", 0xF3},
    {"ocirc", 0xF4},    {"otilde", 0xF5},  {"ugrave", 0xF9},  {"uacute", 0xFA},  {"yacute", 0xFD},  {"ccedil", 0xE7},
    {"uuml", 0xFC},     {"ouml", 0xF6},    {"auml", 0xE4},    {"szlig", 0xDF},   {"deg", 0xB0},     {"times", 0xD7}};

// Decodes the entity at html[i] == '&'; returns the characters consumed (0: not an entity).
std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out) {
  std::size_t end = html.find(';', i);
  if (end == std::string_view::npos || end - i > 10) return 0;
  std::string name = lower(html.substr(i + 1, end - i - 1));
  if (!name.empty() && name[0] == '#') {
    bool hex = name.size() > 1 && name[1] == 'x';
    std::string digits = name.substr(hex ? 2 : 1);
    if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdef" : "0123456789") != std::string::npos) {
      return 0;
    }
    append_utf8(out, static_cast<uint32_t>(std::stoul(digits, nullptr, hex ? 16 : 10)));
    return end - i + 1;
  }
  std::string exact(html.substr(i + 1, end - i - 1));  // named entities are case-sensitive
  for (const auto& [entity, code] : kNamedEntities) {
    if (exact == entity) {
      append_utf8(out, code == 0xA0 ? uint32_t{' '} : code);  // nbsp: a plain space in text
      return end - i + 1;
    }
  }
  return 0;
}

bool is_block(const std::string& tag) {
  static const std::array<const char*, 20> blocks{"p",     "div",        "br",  "tr", "li", "h1",     "h2",
                                                  "h3",    "h4",         "h5",  "h6", "hr", "ul",     "ol",
                                                  "table", "blockquote", "pre", "dd", "dt", "section"};
  return std::find(blocks.begin(), blocks.end(), tag) != blocks.end();
}

std::string tag_name(std::string_view tag) {
  std::size_t i = 1;
  if (i < tag.size() && tag[i] == '/') ++i;
  std::size_t start = i;
  while (i < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[i])) != 0)) ++i;
  return lower(tag.substr(start, i - start));
}

// Collapses spaces inside lines, trims lines and keeps at most one blank line.
std::string tidy(const std::string& text) {
  std::string out;
  std::string line;
  int blank = 0;
  auto flush = [&] {
    std::size_t e = line.find_last_not_of(' ');
    line = e == std::string::npos ? std::string() : line.substr(0, e + 1);
    if (line.empty()) {
      if (++blank == 1 && !out.empty()) out += '\n';
    } else {
      blank = 0;
      out += line + '\n';
    }
    line.clear();
  };
  for (char c : text) {
    if (c == '\n') {
      flush();
    } else if (c == ' ' || c == '\t' || c == '\r') {
      if (!line.empty() && line.back() != ' ') line += ' ';
    } else {
      line += c;
    }
  }
  flush();
  while (!out.empty() && (out.back() == '\n')) out.pop_back();
  return out;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string out;
  std::string skip_until;  // closing tag of script/style/head
  for (std::size_t i = 0; i < html.size();) {
    char c = html[i];
    if (c == '<') {
      if (html.compare(i, 4, "<!--") == 0) {
        std::size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      std::size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;
      std::string_view tag = html.substr(i, end - i + 1);
      std::string name = tag_name(tag);
      bool closing = tag.size() > 1 && tag[1] == '/';
      i = end + 1;
      if (!skip_until.empty()) {
        if (closing && name == skip_until) skip_until.clear();
        continue;
      }
      if (!closing && (name == "script" || name == "style" || name == "head" || name == "title")) {
        skip_until = name;
        continue;
      }
      if (name == "br") {
        out += '\n';
      } else if (name == "p") {
        out += "\n\n";  // a paragraph break; tidy() keeps one blank line
      } else if (is_block(name) && !out.empty() && out.back() != '\n') {
        out += '\n';
      }
      continue;
    }
    if (!skip_until.empty()) {
      ++i;
      continue;
    }
    if (c == '&') {
      std::size_t used = decode_entity(html, i, out);
      if (used > 0) {
        i += used;
        continue;
      }
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    ++i;
  }
  return tidy(out);
}

std::string cut_html_quote(std::string_view html) {
  static const std::array<const char*, 12> markers{
      "gmail_quote",     "gmail_attr",   "gmail_signature",  "divrplyfwdmsg",  "appendonsend", "type=\"cite\"",
      "moz-cite-prefix", "yahoo_quoted", "protonmail_quote", "isreplycontent", "origbody",     "type=cite"};
  std::string folded = lower(html);
  std::size_t cut = html.size();
  for (const char* marker : markers) {
    for (std::size_t at = folded.find(marker); at != std::string::npos; at = folded.find(marker, at + 1)) {
      std::size_t open = folded.rfind('<', at);
      std::size_t close = folded.rfind('>', at);
      bool inside_tag = open != std::string::npos && (close == std::string::npos || close < open);
      if (!inside_tag) continue;
      cut = std::min(cut, open);
      break;
    }
  }
  return std::string(html.substr(0, cut));
}

}  // namespace switchboard::plugins::email
