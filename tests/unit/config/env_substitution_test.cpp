// ${VAR} substitution: in single strings, across a document, and the typed
// coercion of single expressions in plugin configs.
#include "config/env_substitution.hpp"

#include "config_test_support.hpp"

namespace switchboard::config::testing {

namespace {

EnvSubstitution substitute(const std::string& text) {
  return substitute_env(text, environment_from({{"HOST", "example.com"}, {"EMPTY", ""}, {"LOOP", "${HOST}"}}));
}

}  // namespace

TEST_CASE("a set variable is substituted inside surrounding text") {
  EnvSubstitution result = substitute("https://${HOST}/hook");
  CHECK(result.error.empty());
  CHECK(result.text == "https://example.com/hook");
  CHECK(result.from_environment);
  CHECK_FALSE(result.single_expression);
}

TEST_CASE("a default is used when the variable is unset or empty, and ignored when it is set") {
  CHECK(substitute("${MISSING:-8080}").text == "8080");
  CHECK(substitute("${EMPTY:-fallback}").text == "fallback");
  CHECK(substitute("${HOST:-fallback}").text == "example.com");
  CHECK(substitute("${MISSING:-}").text.empty());
  CHECK(substitute("${MISSING:-8080}").from_environment);
}

TEST_CASE("a set but empty variable without default is substituted as empty") {
  EnvSubstitution result = substitute("[${EMPTY}]");
  CHECK(result.error.empty());
  CHECK(result.text == "[]");
}

TEST_CASE("$${ escapes a literal ${ and does not count as from the environment") {
  EnvSubstitution result = substitute("cost: $${PRICE} $5 $$");
  CHECK(result.error.empty());
  CHECK(result.text == "cost: ${PRICE} $5 $$");
  CHECK_FALSE(result.from_environment);
}

TEST_CASE("substituted text is not expanded again") { CHECK(substitute("${LOOP}").text == "${HOST}"); }

TEST_CASE("an unset variable without default is an error that names it") {
  EnvSubstitution result = substitute("a ${NOPE} b ${ALSO_NOPE}");
  CHECK(result.error ==
        "environment variable NOPE is not set (write ${NOPE:-default} to give a default); "
        "environment variable ALSO_NOPE is not set (write ${ALSO_NOPE:-default} to give a default)");
  CHECK(result.text == "a ${NOPE} b ${ALSO_NOPE}");
}

TEST_CASE("malformed references are errors") {
  CHECK(substitute("${HOST").error == "unterminated '${' (missing '}'; write '$${' for a literal '${')");
  CHECK(substitute("${}").error == "'${}' is not a valid variable reference (names use letters, digits and '_')");
  CHECK(substitute("${1X}").error == "'${1X}' is not a valid variable reference (names use letters, digits and '_')");
  CHECK(substitute("${A B}").error == "'${A B}' is not a valid variable reference (names use letters, digits and '_')");
}

TEST_CASE("only a string that is exactly one reference is a single expression") {
  CHECK(substitute("${HOST}").single_expression);
  CHECK(substitute("${MISSING:-1}").single_expression);
  CHECK_FALSE(substitute("${HOST}${HOST}").single_expression);
  CHECK_FALSE(substitute("x${HOST}").single_expression);
  CHECK_FALSE(substitute("${HOST}x").single_expression);
}

TEST_CASE("every string value of a document is substituted and its origin remembered") {
  Diagnostics errors("cfg.json");
  nlohmann::json doc = nlohmann::json::parse(R"({"a": ["${HOST}", "plain"], "${HOST}": {"b": "x${HOST}"}, "n": 1})");
  EnvOrigins origins = substitute_env_in(doc, environment_from({{"HOST", "h"}}), errors);
  CHECK(errors.empty());
  CHECK(doc["a"][0] == "h");
  CHECK(doc["${HOST}"]["b"] == "xh");  // keys are never substituted
  CHECK(origins.from_environment("/a/0"));
  CHECK(origins.single_expression("/a/0"));
  CHECK_FALSE(origins.from_environment("/a/1"));
  CHECK(origins.from_environment("/${HOST}/b"));
  CHECK_FALSE(origins.single_expression("/${HOST}/b"));
}

TEST_CASE("an unset variable is reported at the JSON path of its value") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(R"({
    "inboxes": [ { "id": "demo", "channel": { "plugin": "api", "config": { "secret": "${API_SECRET}" } },
                   "pipeline": "default" } ],
    "pipelines": { "default": { "steps": [ { "plugin": "reply", "config": { "text": "hi" } } ] } }
  })");
  CHECK_FALSE(result.config);
  // One error only: the secret is not also called a literal.
  REQUIRE_MESSAGE(result.errors.size() == 1, joined(result.errors));
  CHECK(result.errors[0] == fixture.prefix() +
                                "/inboxes/0/channel/config/secret: environment variable API_SECRET is not set "
                                "(write ${API_SECRET:-default} to give a default)");
}

TEST_CASE("environment values reach plugin configs, with defaults and escapes") {
  ConfigFixture fixture;
  fixture.env["GREETING"] = "Xin chào";
  LoadResult result = fixture.load(R"({
    "inboxes": [ { "id": "demo", "channel": { "plugin": "api" }, "pipeline": "default" } ],
    "pipelines": { "default": { "steps": [
      { "plugin": "reply", "config": { "text": "${GREETING}, $${name}" } },
      { "plugin": "echo", "config": { "prefix": "${PREFIX:->> }" } } ] } }
  })");
  REQUIRE_MESSAGE(result.config, joined(result.errors));
  const auto& steps = result.config->pipelines.at("default").steps;
  CHECK(steps[0].block.config["text"] == "Xin chào, ${name}");
  CHECK(steps[1].block.config["prefix"] == ">> ");
}

TEST_CASE("a single ${VAR} in an integer, number or boolean field takes the field's type") {
  ConfigFixture fixture;
  fixture.env["STRICT"] = "true";
  fixture.env["RATE"] = "0.25";
  LoadResult result = fixture.load(R"({
    "inboxes": [ { "id": "demo", "pipeline": "default", "channel": { "plugin": "api",
      "config": { "port": "${PORT:-8080}", "strict": "${STRICT}", "rate": "${RATE}" } } } ],
    "pipelines": { "default": { "steps": [ { "plugin": "reply", "config": { "text": "${PORT:-8080}" } } ] } }
  })");
  REQUIRE_MESSAGE(result.config, joined(result.errors));
  const nlohmann::json& config = result.config->inboxes[0].channel.config;
  CHECK(config["port"] == 8080);
  CHECK(config["port"].is_number_integer());
  CHECK(config["strict"] == true);
  CHECK(config["rate"] == 0.25);
  // A string field keeps the text.
  CHECK(result.config->pipelines.at("default").steps[0].block.config["text"] == "8080");
}

TEST_CASE("an environment value that does not parse as the field's type is an error") {
  ConfigFixture fixture;
  fixture.env["PORT"] = "80a";
  fixture.env["STRICT"] = "yes";
  fixture.env["RATE"] = "inf";
  LoadResult result = fixture.load(R"({
    "inboxes": [ { "id": "demo", "pipeline": "default", "channel": { "plugin": "api",
      "config": { "port": "${PORT}", "strict": "${STRICT}", "rate": "${RATE}" } } } ],
    "pipelines": { "default": { "steps": [ { "plugin": "reply", "config": { "text": "hi" } } ] } }
  })");
  CHECK_FALSE(result.config);
  CHECK_MESSAGE(result.errors.size() == 3, joined(result.errors));
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/0/channel/config/rate: the environment gave \"inf\", which is not a number");
  CHECK_ERROR(
      result.errors,
      fixture.prefix() + "/inboxes/0/channel/config/port: the environment gave \"80a\", which is not an integer");
  CHECK_ERROR(result.errors, fixture.prefix() +
                                 "/inboxes/0/channel/config/strict: the environment gave \"yes\", which is not a "
                                 "boolean (true or false)");
}

TEST_CASE("only a value that is exactly one ${VAR} is coerced") {
  ConfigFixture fixture;
  fixture.env["PORT"] = "80";
  LoadResult result = fixture.load(R"({
    "inboxes": [ { "id": "demo", "pipeline": "default", "channel": { "plugin": "api", "config": { "port": "${PORT}0" } } },
                 { "id": "two", "pipeline": "default", "channel": { "plugin": "api", "config": { "port": "80" } } } ],
    "pipelines": { "default": { "steps": [ { "plugin": "reply", "config": { "text": "hi" } } ] } }
  })");
  CHECK_ERROR(result.errors, fixture.prefix() + "/inboxes/0/channel/config/port: expected integer, got string");
  CHECK_ERROR(result.errors, fixture.prefix() + "/inboxes/1/channel/config/port: expected integer, got string");
}

TEST_CASE("an unset variable in a typed field gives one error, not a type error too") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(R"({
    "inboxes": [ { "id": "demo", "pipeline": "default", "channel": { "plugin": "api", "config": { "port": "${PORT}" } } } ],
    "pipelines": { "default": { "steps": [ { "plugin": "reply", "config": { "text": "hi" } } ] } }
  })");
  REQUIRE_MESSAGE(result.errors.size() == 1, joined(result.errors));
  CHECK(result.errors[0].find("/inboxes/0/channel/config/port: environment variable PORT is not set") !=
        std::string::npos);
}

}  // namespace switchboard::config::testing
