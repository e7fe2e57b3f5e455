// Pure helpers behind webhook routing: path splitting, inbox ids, header JSON.
#include <doctest/doctest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/header_json.hpp"
#include "http/webhook_path.hpp"

namespace switchboard::http {
namespace {

TEST_CASE("inbox ids are [a-z0-9][a-z0-9_-]{0,63}") {
  CHECK(is_inbox_id("demo"));
  CHECK(is_inbox_id("0"));
  CHECK(is_inbox_id("zalo-oa_2"));
  CHECK(is_inbox_id(std::string(64, 'a')));
  CHECK_FALSE(is_inbox_id(""));
  CHECK_FALSE(is_inbox_id(std::string(65, 'a')));
  CHECK_FALSE(is_inbox_id("-demo"));
  CHECK_FALSE(is_inbox_id("_demo"));
  CHECK_FALSE(is_inbox_id("Demo"));
  CHECK_FALSE(is_inbox_id("de mo"));
  CHECK_FALSE(is_inbox_id("d.emo"));
  CHECK_FALSE(is_inbox_id("d\xC3\xA9mo"));
}

TEST_CASE("webhook paths split into inbox and the rest below it") {
  auto plain = parse_webhook_path("/webhooks/demo");
  REQUIRE(plain);
  CHECK(plain->inbox == "demo");
  CHECK(plain->rest == "");

  auto nested = parse_webhook_path("/webhooks/demo/verify/a");
  REQUIRE(nested);
  CHECK(nested->inbox == "demo");
  CHECK(nested->rest == "/verify/a");

  auto trailing = parse_webhook_path("/webhooks/demo/");
  REQUIRE(trailing);
  CHECK(trailing->rest == "/");

  CHECK_FALSE(parse_webhook_path("/webhooks/"));
  CHECK_FALSE(parse_webhook_path("/webhooks"));
  CHECK_FALSE(parse_webhook_path("/webhooksdemo"));
  CHECK_FALSE(parse_webhook_path("/api/webhooks/demo"));
  CHECK_FALSE(parse_webhook_path("/webhooks//demo"));
  CHECK_FALSE(parse_webhook_path("/webhooks/BAD/x"));
}

TEST_CASE("header JSON lower-cases names and joins repeated headers in order") {
  auto headers = header_json({{"X-Hub-Signature", "sha1=1"}, {"Accept", "a"}, {"accept", "b"}, {"ACCEPT", "c"}});

  CHECK(headers == R"({"accept":"a, b, c","x-hub-signature":"sha1=1"})");
}

TEST_CASE("header JSON is the text nlohmann::json would write for the same object") {
  // Quotes, backslashes, control bytes, non-ASCII and invalid UTF-8, names
  // that sort before and after each other, an empty value and no headers.
  std::vector<std::pair<std::string_view, std::string_view>> headers = {{"X-Quote", "say \"hi\" \\ bye"},
                                                                        {"x-ctl",
                                                                         "a\tb\x01"
                                                                         "c\x1f"},
                                                                        {"X-Vi", "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t"},
                                                                        {"x-bad", "caf\xE9"},
                                                                        {"A", ""},
                                                                        {"x-ctl", "second"}};
  nlohmann::json expected = nlohmann::json::object();
  for (const auto& [name, value] : headers) {
    std::string key = valid_utf8(name);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string text = valid_utf8(value);
    if (expected.contains(key)) {
      expected[key] = expected[key].get<std::string>() + ", " + text;
    } else {
      expected[key] = text;
    }
  }

  std::string written = header_json(headers);

  CHECK(written == expected.dump());
  CHECK(nlohmann::json::parse(written) == expected);
  CHECK(header_json({}) == "{}");
}

TEST_CASE("invalid UTF-8 is replaced byte by byte, valid text is kept") {
  CHECK(valid_utf8("plain ascii") == "plain ascii");
  CHECK(valid_utf8("ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t") == "ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t");
  CHECK(valid_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
  CHECK(valid_utf8("caf\xE9") == "caf\xEF\xBF\xBD");
  CHECK(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(valid_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // truncated
  CHECK(valid_utf8("\xF4\x90\x80\x80").find("\xF4") == std::string::npos);      // above U+10FFFF
}

}  // namespace
}  // namespace switchboard::http
