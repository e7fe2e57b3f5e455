// email_conformance DIR: parses every .eml under DIR (recursively) with the
// channel's parser and checks what the fixture names promise. .ci/run runs
// it over ../shared/fixtures/email; those files never enter this repository.
//
// Every mail: no crash, a sender address when From: is there, subject/
// name/Cc names/text/reply valid
// UTF-8 without U+FFFD, the reply never longer than the text. By name:
// bounce / delivery-failure / delivery-status / mdn / read-receipt → a loop
// reason; vi-* → Vietnamese letters in subject, names or text, NFC; *attribution* /
// *gmail-mobile-reply* → the quote cut from the reply; thread-* → every
// In-Reply-To points at an earlier mail of the same folder.
#include <glib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include "loop_guard.hpp"
#include "mail_parser.hpp"
#include "text/folding.hpp"

namespace fs = std::filesystem;
using namespace switchboard::plugins::email;

namespace {

bool clean_utf8(const std::string& s) {
  return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr) &&
         s.find("\xEF\xBF\xBD") == std::string::npos;
}

bool has(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

struct Checker {
  int failures = 0;
  std::string file;
  void expect(bool ok, const std::string& what) {
    if (ok) return;
    ++failures;
    std::cout << "FAIL " << file << ": " << what << "\n";
  }
};

void check_mail(Checker& c, const std::string& name, const std::string& raw, const ParsedMail& m) {
  bool has_from = raw.rfind("From:", 0) == 0 || has(raw, "\nFrom:") || has(raw, "\nFROM:");
  c.expect(!has_from || !m.from_address.empty(), "From: present but no sender address decoded");
  for (const auto& a : m.cc) c.expect(clean_utf8(a.name), "Cc name is not clean UTF-8");
  for (const auto& [label, value] : std::map<std::string, std::string>{
           {"subject", m.subject}, {"from name", m.from_name}, {"text", m.text}, {"reply", m.reply}}) {
    c.expect(clean_utf8(value), label + " is not clean UTF-8 (invalid or U+FFFD)");
  }
  c.expect(m.reply.size() <= m.text.size() + 1, "reply longer than the text");
  bool automatic = has(name, "bounce") || has(name, "delivery-failure") || has(name, "delivery-status") ||
                   has(name, "mdn") || has(name, "read-receipt");
  if (automatic) c.expect(!loop_reason(m, "agent@clinic.test").empty(), "automatic mail not recognised");
  if (name.rfind("vi-", 0) == 0 || has(name, "synthetic-vi")) {
    std::string all = m.subject + m.from_name + m.text;
    for (const auto& a : m.cc) all += a.name;
    bool vietnamese = false;
    for (const char* letter : {"ế", "ư", "đ", "Đ", "ạ", "ờ", "ả", "ú", "ý"})
      vietnamese = vietnamese || has(all, letter);
    c.expect(vietnamese, "no Vietnamese letters decoded (subject, names, text)");
    c.expect(all == switchboard::text::to_nfc(all), "decoded text is not NFC");
  }
  if (has(name, "attribution") || has(name, "gmail-mobile-reply")) {
    c.expect(m.reply.size() < m.text.size(), "quoted history not cut");
    c.expect(!has(m.reply, "đã viết:"), "attribution left in the reply");
  }
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: email_conformance DIR\n";
    return 2;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(argv[1])) {
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  Checker c;
  std::map<std::string, std::vector<std::string>> seen_ids;  // folder → Message-IDs so far
  for (const auto& path : files) {
    c.file = fs::relative(path, argv[1]).string();
    std::string raw = read(path);
    ParsedMail m = parse_mail(raw, [](std::string_view t) { return switchboard::text::to_nfc(t); });
    check_mail(c, path.filename().string(), raw, m);
    std::string folder = path.parent_path().filename().string();
    if (folder.rfind("thread-", 0) == 0) {
      auto& ids = seen_ids[folder];
      if (!ids.empty()) {
        c.expect(std::find(ids.begin(), ids.end(), m.in_reply_to) != ids.end(), "In-Reply-To not in the thread");
      }
      ids.push_back(m.message_id);
    }
    std::string reason = loop_reason(m, "agent@clinic.test");
    std::cout << c.file << " | " << m.from_address << " | " << m.subject.substr(0, 60) << " | text " << m.text.size()
              << " B, reply " << m.reply.size() << " B, " << m.attachments.size() << " attachment(s)"
              << (reason.empty() ? "" : " | auto: " + reason) << "\n";
  }
  std::cout << files.size() << " mails, " << c.failures << " failure(s)\n";
  return files.empty() || c.failures > 0 ? 1 : 0;
}
