// The formula is the official SDKs' MacUtils.buildMac; the lenient header
// parsing follows field reports of real traffic (spec §1.3, §9.4).
#include "event_signature.hpp"

#include <switchboard/plugins/signature.hpp>

#include <cctype>

namespace switchboard::plugins::zalo_oa {

std::string event_mac(std::string_view first_term, std::string_view raw_body, std::string_view timestamp,
                      std::string_view secret) {
  std::string data;
  data.reserve(first_term.size() + raw_body.size() + timestamp.size() + secret.size());
  data.append(first_term).append(raw_body).append(timestamp).append(secret);
  return sha256_hex(data);
}

std::string mac_of_header(std::string_view header) {
  std::string compact;
  for (char c : header) {
    if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
  }
  std::size_t eq = compact.find('=');
  if (eq != std::string::npos) {
    std::string name = compact.substr(0, eq);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name != "mac") return {};
    compact = compact.substr(eq + 1);
  }
  if (compact.size() != 64 || compact.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return {};
  return compact;
}

bool signature_matches(std::string_view header, std::string_view first_term, std::string_view raw_body,
                       std::string_view timestamp, std::string_view secret) {
  std::string given = mac_of_header(header);
  if (given.empty()) return false;
  return hex_digest_equal(event_mac(first_term, raw_body, timestamp, secret), given);
}

}  // namespace switchboard::plugins::zalo_oa
