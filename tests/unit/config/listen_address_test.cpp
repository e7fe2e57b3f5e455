// service.listen parsing.
#include "config/listen_address.hpp"

#include <doctest/doctest.h>

namespace switchboard::config {

TEST_CASE("a listen address splits into host and port") {
  std::string error;
  auto address = parse_listen_address("127.0.0.1:8080", error);
  REQUIRE(address);
  CHECK(address->host == "127.0.0.1");
  CHECK(address->port == 8080);
}

TEST_CASE("port 0 and port 65535 are accepted") {
  std::string error;
  CHECK(parse_listen_address("localhost:0", error));
  CHECK(parse_listen_address("0.0.0.0:65535", error));
}

TEST_CASE("an IPv6 address in brackets loses its brackets") {
  std::string error;
  auto address = parse_listen_address("[::1]:9000", error);
  REQUIRE(address);
  CHECK(address->host == "::1");
  CHECK(address->port == 9000);
}

TEST_CASE("malformed listen addresses are refused with a reason") {
  std::string error;
  CHECK_FALSE(parse_listen_address("8080", error));
  CHECK(error == "missing ':port'");
  CHECK_FALSE(parse_listen_address("host:-1", error));
  CHECK_FALSE(parse_listen_address("host:123456", error));
  CHECK_FALSE(parse_listen_address("[nothex]:80", error));
  CHECK_FALSE(parse_listen_address("ho st:80", error));
  CHECK_FALSE(parse_listen_address("[::1]", error));
}

}  // namespace switchboard::config
