// Parse throughput of the email channel: every .eml under the given folders
// (default: the plugin's own fixtures) parsed over and over with GMime, NFC
// normalisation, HTML-to-text and quote stripping — what one inbound mail
// costs before it is submitted. Prints mails/s and MB/s; asserts nothing.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "mail_parser.hpp"
#include "text/folding.hpp"

namespace fs = std::filesystem;
using switchboard::plugins::email::parse_mail;

int main(int argc, char** argv) {
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) dirs.emplace_back(argv[i]);
  if (dirs.empty()) dirs.emplace_back(EMAIL_FIXTURES);
  std::vector<std::string> mails;
  std::size_t bytes = 0;
  for (const auto& dir : dirs) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.path().extension() != ".eml") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream out;
      out << in.rdbuf();
      mails.push_back(out.str());
      bytes += mails.back().size();
    }
  }
  if (mails.empty()) return std::cerr << "no .eml files\n", 1;
  auto nfc = [](std::string_view t) { return switchboard::text::to_nfc(t); };
  std::size_t sink = 0;
  for (const auto& m : mails) sink += parse_mail(m, nfc).text.size();  // warm-up
  const int rounds = std::max(1, static_cast<int>(20000 / mails.size()));
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (const auto& m : mails) sink += parse_mail(m, nfc).reply.size();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double parsed = static_cast<double>(rounds) * static_cast<double>(mails.size());
  std::cout << "email parse: " << mails.size() << " mails (" << bytes / mails.size() << " B average), " << rounds
            << " rounds, " << static_cast<long>(parsed / seconds) << " mails/s, "
            << (static_cast<double>(bytes) * rounds / seconds / 1e6) << " MB/s (checksum " << sink % 997 << ")\n";
  return 0;
}
