// Syntax errors: file:line:col with the position of the offending token and
// a reason a person can act on.
#include "config/syntax_error.hpp"

#include "config_test_support.hpp"

namespace switchboard::config::testing {

namespace {

// The one error reading `text` gives, without the "path:" prefix.
std::string syntax_error_of(const std::string& text) {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(text);
  REQUIRE_MESSAGE(doc.errors.size() == 1, joined(doc.errors));
  CHECK(doc.json.is_null());
  std::string error = doc.errors.front();
  REQUIRE(error.rfind(fixture.file().string(), 0) == 0);
  return error.substr(fixture.file().string().size());
}

}  // namespace

TEST_CASE("a missing comma is reported at its line and column") {
  CHECK(syntax_error_of("{\n  \"a\": 1\n  \"b\": 2\n}") ==
        ":3:3: expected ',' or '}' but found a string; is a comma missing?");
}

TEST_CASE("a missing comma in an array is reported at the next element") {
  CHECK(syntax_error_of("{\"a\": [1\n  22]}") == ":2:3: expected ',' or ']' but found a number; is a comma missing?");
}

TEST_CASE("lines of comments before an error are counted") {
  CHECK(syntax_error_of("// line one\n/* two\n   three */\n{\"a\": 1 \"b\": 2}") ==
        ":4:9: expected ',' or '}' but found a string; is a comma missing?");
}

TEST_CASE("columns count characters, not bytes, after Vietnamese text") {
  // "đặt lịch" is 8 characters but 13 bytes.
  CHECK(syntax_error_of("{\"a\": \"đặt lịch\" \"b\": 1}") ==
        ":1:18: expected ',' or '}' but found a string; is a comma missing?");
}

TEST_CASE("a string with escaped quotes is located at its opening quote") {
  CHECK(syntax_error_of("{\"a\": 1 \"say \\\"hi\\\"\\\\\": 2}") ==
        ":1:9: expected ',' or '}' but found a string; is a comma missing?");
}

TEST_CASE("text after the document is reported as trailing garbage") {
  CHECK(syntax_error_of("{}\n xyz") == ":2:2: unexpected text after the end of the document");
  CHECK(syntax_error_of("{} {}") == ":1:4: unexpected '{' after the end of the document");
}

TEST_CASE("a trailing comma is named as the likely cause") {
  CHECK(syntax_error_of("{\"a\": 1,}") ==
        ":1:9: expected a key in double quotes but found '}'; is there a trailing comma?");
  CHECK(syntax_error_of("{\"a\": [1,]}") == ":1:10: expected a value but found ']'; is there a trailing comma?");
}

TEST_CASE("a missing colon is reported at the token found instead") {
  CHECK(syntax_error_of("{\"a\" 1}") == ":1:6: expected ':' after the key but found a number");
}

TEST_CASE("a single-quoted string is an invalid value") {
  CHECK(syntax_error_of("{\"a\": 'x'}") ==
        ":1:7: invalid value (strings need double quotes; true, false and null are lower case)");
}

TEST_CASE("a line break inside a string is reported where it occurs") {
  std::string error = syntax_error_of("{\"a\": \"abc\n\"}");
  CHECK(error.rfind(":1:11: invalid string: control character U+000A (LF) must be escaped", 0) == 0);
}

TEST_CASE("an unterminated block comment is reported") {
  CHECK(syntax_error_of("{\"a\": 1 /* open") == ":1:16: unterminated comment: missing closing '*/'");
}

TEST_CASE("a file that ends early says what was expected") {
  CHECK(syntax_error_of("{\"a\": 1") == ":1:8: unexpected end of the file; expected '}'");
  CHECK(syntax_error_of("") == ":1:1: unexpected end of the file; expected a value");
}

TEST_CASE("positions are computed in characters across lines") {
  CHECK(position_at("ab\ncd", 0).line == 1);
  CHECK(position_at("ab\ncd", 4).line == 2);
  CHECK(position_at("ab\ncd", 4).column == 2);
  CHECK(position_at("đ\nđặ!", 8).column == 3);  // "đặ" is 5 bytes, 2 characters
  CHECK(position_at("ab", 99).column == 3);     // past the end: just after the last character
}

}  // namespace switchboard::config::testing
