// Line classification in the spirit of Discourse's email_reply_trimmer,
// reduced to the markers seen in English and Vietnamese Gmail/Outlook mail.
#include "reply_trimmer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace switchboard::plugins::email {
namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string strip(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Lower-cases ASCII and "Đ" (the only capital the Vietnamese markers start
// with outside ASCII); other UTF-8 is left intact.
std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c); });
  for (std::size_t at = out.find("\xC4\x90"); at != std::string::npos; at = out.find("\xC4\x90", at + 2)) {
    out[at + 1] = '\x91';
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_attribution(const std::vector<std::string>& lines, std::size_t i) {
  std::string first = lower(strip(lines[i]));
  bool english = starts_with(first, "on ");
  bool vietnamese = starts_with(first, "vào ");
  if (!english && !vietnamese) return false;
  std::string joined = first;
  for (std::size_t k = i; k < lines.size() && k < i + 3; ++k) {
    if (k > i) joined += " " + lower(strip(lines[k]));
    if (english && ends_with(joined, "wrote:")) return true;
    if (vietnamese && ends_with(joined, "đã viết:")) return true;
  }
  return false;
}

bool is_original_message(const std::string& line) {
  std::string l = lower(strip(line));
  return l == "-----original message-----" || l == "----- original message -----";
}

bool is_header_line(const std::string& line) {
  static const std::array<const char*, 11> labels{
      "from:", "sent:", "to:", "cc:", "subject:", "date:", "từ:", "đã gửi:", "đến:", "chủ đề:", "ngày:"};
  std::string l = lower(strip(line));
  if (!l.empty() && l[0] == '*') l.erase(0, 1);
  for (const char* label : labels) {
    if (starts_with(l, label)) return true;
    // "*From:* x" after the bold marker moved behind the colon.
    std::string bold = std::string(label);
    bold.insert(bold.size() - 1, "*");
    if (starts_with(l, bold)) return true;
  }
  return false;
}

bool is_header_block(const std::vector<std::string>& lines, std::size_t i) {
  std::size_t k = i;
  if (k < lines.size() && strip(lines[k]).size() >= 10 && strip(lines[k]).find_first_not_of('_') == std::string::npos) {
    ++k;  // Outlook's "________________" rule above the block
  }
  std::size_t count = 0;
  while (k < lines.size() && is_header_line(lines[k])) {
    ++count;
    ++k;
  }
  return count >= 2;
}

bool is_signature_delimiter(const std::string& line) { return line == "-- " || line == "--"; }

bool is_mobile_signature(const std::string& line) {
  std::string l = lower(strip(line));
  if (l.size() > 80) return false;
  return starts_with(l, "sent from my ") || starts_with(l, "get outlook for ") || starts_with(l, "được gửi từ ") ||
         starts_with(l, "gửi từ ");
}

bool is_quote(const std::string& line) { return !line.empty() && line[0] == '>'; }

std::size_t cut_point(const std::vector<std::string>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (is_attribution(lines, i) || is_original_message(lines[i]) || is_header_block(lines, i) ||
        is_signature_delimiter(lines[i])) {
      return i;
    }
  }
  return lines.size();
}

}  // namespace

std::string trim_reply(std::string_view text) {
  std::vector<std::string> lines = split_lines(text);
  lines.resize(cut_point(lines));
  auto trailing_noise = [&] { return !lines.empty() && (strip(lines.back()).empty() || is_quote(lines.back())); };
  while (trailing_noise()) lines.pop_back();
  if (!lines.empty() && is_mobile_signature(lines.back())) lines.pop_back();
  while (trailing_noise()) lines.pop_back();
  while (!lines.empty() && strip(lines.front()).empty()) lines.erase(lines.begin());
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  if (!out.empty()) out.pop_back();
  if (strip(out).empty()) return strip(text);
  return out;
}

}  // namespace switchboard::plugins::email
