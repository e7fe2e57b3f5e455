// Parsing of service.listen. Deliberately strict: a typo here means the
// webhooks are unreachable, which is better caught by `switchboard check`.
#include "config/listen_address.hpp"

#include <cctype>

namespace switchboard::config {

namespace {

bool valid_host_name(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  return true;
}

bool valid_ipv6(std::string_view host) {
  if (host.find(':') == std::string_view::npos) return false;
  for (char c : host) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
  }
  return true;
}

std::optional<uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    error = "missing ':port'";
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  std::optional<uint16_t> port = parse_port(text.substr(colon + 1));
  if (!port) {
    error = "port must be a number from 0 to 65535";
    return std::nullopt;
  }
  bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed && valid_ipv6(host.substr(1, host.size() - 2))) {
    return ListenAddress{std::string(host.substr(1, host.size() - 2)), *port};
  }
  if (!bracketed && host.find(':') != std::string_view::npos) {
    error = "an IPv6 address needs brackets, e.g. [::1]:8080";
    return std::nullopt;
  }
  if (bracketed || !valid_host_name(host)) {
    error = "'" + std::string(host) + "' is not a host name or IP address";
    return std::nullopt;
  }
  return ListenAddress{std::string(host), *port};
}

}  // namespace switchboard::config
