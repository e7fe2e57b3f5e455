// The "host:port" of service.listen, split and checked. The HTTP server binds
// what this returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::config {

struct ListenAddress {
  std::string host;   // a name or IPv4 address, or an IPv6 address without brackets
  uint16_t port = 0;  // 0: the system picks a free port
};

// Parses "host:port", "[ipv6]:port". On failure returns nullopt and says why
// in `error`.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error);

}  // namespace switchboard::config
