// Phase 2: inboxes and pipelines against plugin descriptors, and the verdict.
#include "config/load_result.hpp"

#include "config_test_support.hpp"

namespace switchboard::config::testing {

namespace {

// kMinimalConfig with one part replaced, for tests that break one thing.
std::string config_with(const std::string& inbox, const std::string& pipelines) {
  return R"({ "inboxes": [ )" + inbox + R"( ], "pipelines": )" + pipelines + " }";
}

const std::string kInbox = R"({ "id": "demo", "channel": { "plugin": "api" }, "pipeline": "default" })";
const std::string kPipelines = R"({ "default": { "steps": [ { "plugin": "reply", "config": { "text": "hi" } } ] } })";

}  // namespace

TEST_CASE("a minimal config loads with every default filled in") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(kMinimalConfig);
  REQUIRE_MESSAGE(result.config, joined(result.errors));
  CHECK(result.errors.empty());
  const Config& config = *result.config;
  CHECK(config.file == fixture.file());
  REQUIRE(config.inboxes.size() == 1);
  const InboxConfig& inbox = config.inboxes[0];
  CHECK(inbox.id == "demo");
  CHECK(inbox.pipeline == "default");
  CHECK(inbox.channel.plugin == "api");
  CHECK(inbox.channel.pointer == "/inboxes/0/channel");
  CHECK(inbox.channel.config["port"] == 0);
  CHECK(inbox.channel.config["strict"] == false);
  CHECK(inbox.channel.config["rate"] == 1.5);
  CHECK_FALSE(inbox.channel.config.contains("inbox_dir"));  // no default, not given
  CHECK_FALSE(inbox.channel.config.contains("secret"));

  const PipelineConfig& pipeline = config.pipelines.at("default");
  CHECK(pipeline.name == "default");
  CHECK(pipeline.handoff_queue == "default");
  REQUIRE(pipeline.steps.size() == 1);
  CHECK(pipeline.steps[0].on_error == OnError::Continue);
  CHECK(pipeline.steps[0].block.pointer == "/pipelines/default/steps/0");
  CHECK(pipeline.steps[0].block.config == nlohmann::json{{"text", "hi"}, {"once_per_conversation", false}});
}

TEST_CASE("on_error and handoff_queue are read when given") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(config_with(kInbox, R"({ "default": { "handoff_queue": "reception", "steps": [
    { "plugin": "echo", "on_error": "stop" }, { "plugin": "echo", "on_error": "handoff" } ] } })"));
  REQUIRE_MESSAGE(result.config, joined(result.errors));
  const PipelineConfig& pipeline = result.config->pipelines.at("default");
  CHECK(pipeline.handoff_queue == "reception");
  CHECK(pipeline.steps[0].on_error == OnError::Stop);
  CHECK(pipeline.steps[1].on_error == OnError::Handoff);
  CHECK(pipeline.steps[1].block.config == nlohmann::json{{"prefix", ""}});
}

TEST_CASE("an unknown key in a step's plugin config is reported with a suggestion") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(config_with(kInbox, R"({ "default": { "steps": [
    { "plugin": "echo" }, { "plugin": "reply", "config": { "txet": "hi" } } ] } })"));
  CHECK_FALSE(result.config);
  CHECK(result.errors.size() == 2);
  CHECK_ERROR(result.errors,
              fixture.prefix() +
                  "/pipelines/default/steps/1/config/txet: unknown key for plugin 'reply'; did you mean 'text'?");
  CHECK_ERROR(result.errors, fixture.prefix() + "/pipelines/default/steps/1/config/text: required string is missing");
}

TEST_CASE("unknown keys are rejected at every level with exact pointers") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(R"({
    "inboxes": [ { "id": "demo", "pipline": "x", "pipeline": "default",
                   "channel": { "plugin": "api", "confg": {}, "config": { "prot": 1 } } } ],
    "pipelines": { "default": { "stepz": [], "steps": [ { "plugin": "reply", "onerror": "stop",
                                                           "config": { "text": "hi" } } ] } }
  })");
  CHECK_MESSAGE(result.errors.size() == 5, joined(result.errors));
  CHECK_ERROR(result.errors, fixture.prefix() + "/inboxes/0/pipline: unknown key in inbox; did you mean 'pipeline'?");
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/0/channel/confg: unknown key in channel block; did you mean 'config'?");
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/0/channel/config/prot: unknown key for plugin 'api'; did you mean 'port'?");
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/pipelines/default/stepz: unknown key in pipeline; did you mean 'steps'?");
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/pipelines/default/steps/0/onerror: unknown key in step; did you mean 'on_error'?");
}

TEST_CASE("errors of both phases are reported together, phase one first") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(R"({
    "service": { "log_level": "loud" },
    "inboxes": [ { "id": "Demo", "channel": { "plugin": "reply" }, "pipeline": "missing" } ],
    "pipelines": { "default": { "steps": [] } }
  })");
  CHECK_FALSE(result.config);
  REQUIRE_MESSAGE(result.errors.size() == 5, joined(result.errors));
  CHECK(result.errors[0] == fixture.prefix() + "/service/log_level: must be one of debug, info, warn, error");
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/0/channel/plugin: plugin 'reply' is a handler, not a channel");
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/0/pipeline: no pipeline named 'missing' in /pipelines (defined: default)");
  CHECK_ERROR(result.errors, fixture.prefix() + "/pipelines/default/steps: a pipeline needs at least one step");
  CHECK(result.errors[1].find("/inboxes/0/id: must be 1-64 characters") != std::string::npos);
}

TEST_CASE("a channel plugin used as a step is refused") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(config_with(kInbox, R"({ "default": { "steps": [ { "plugin": "api" } ] } })"));
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/pipelines/default/steps/0/plugin: plugin 'api' is a channel, not a handler");
}

TEST_CASE("an unknown plugin lists the available plugins of its kind") {
  ConfigFixture fixture;
  LoadResult result =
      fixture.load(config_with(R"({ "id": "demo", "channel": { "plugin": "zalo" }, "pipeline": "default" })",
                               R"({ "default": { "steps": [ { "plugin": "rply" } ] } })"));
  CHECK(result.errors.size() == 2);
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/0/channel/plugin: unknown plugin 'zalo'; available channel plugins: api");
  CHECK_ERROR(result.errors, fixture.prefix() +
                                 "/pipelines/default/steps/0/plugin: unknown plugin 'rply'; available handler plugins: "
                                 "echo, reply; did you mean 'reply'?");
}

TEST_CASE("an unknown plugin with no plugin of its kind points at the plugin folders") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(kMinimalConfig);
  LoadResult result = validate_config(doc, DescriptorCatalog({}));
  CHECK_ERROR(result.errors, fixture.prefix() +
                                 "/inboxes/0/channel/plugin: unknown plugin 'api'; no channel plugins were found "
                                 "(check service.plugin_dirs)");
}

TEST_CASE("an inbox naming a missing pipeline is an error, and a broken pipeline still counts as named") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(R"({
    "inboxes": [ { "id": "a", "channel": { "plugin": "api" }, "pipeline": "sales" },
                 { "id": "b", "channel": { "plugin": "api" }, "pipeline": "broken" } ],
    "pipelines": { "broken": { "steps": [] } }
  })");
  CHECK(result.errors.size() == 2);
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/0/pipeline: no pipeline named 'sales' in /pipelines (defined: broken)");
  CHECK_ERROR(result.errors, fixture.prefix() + "/pipelines/broken/steps: a pipeline needs at least one step");
}

TEST_CASE("with no pipelines at all the error says none are defined") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(config_with(kInbox, "{}"));
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/0/pipeline: no pipeline named 'default' in /pipelines (none are defined)");
}

TEST_CASE("a duplicate inbox id is reported with where it was first used") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(config_with(kInbox + "," + kInbox + "," + kInbox, kPipelines));
  CHECK(result.errors.size() == 2);
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/1/id: duplicate inbox id 'demo' (first used at /inboxes/0/id)");
  CHECK_ERROR(result.errors,
              fixture.prefix() + "/inboxes/2/id: duplicate inbox id 'demo' (first used at /inboxes/0/id)");
}

TEST_CASE("inbox ids must be safe in a webhook URL") {
  CHECK(valid_inbox_id("zalo-main_2"));
  CHECK(valid_inbox_id("0"));
  CHECK(valid_inbox_id(std::string(64, 'a')));
  CHECK_FALSE(valid_inbox_id(std::string(65, 'a')));
  CHECK_FALSE(valid_inbox_id(""));
  CHECK_FALSE(valid_inbox_id("-a"));
  CHECK_FALSE(valid_inbox_id("_a"));
  CHECK_FALSE(valid_inbox_id("Zalo"));
  CHECK_FALSE(valid_inbox_id("a/b"));
  CHECK_FALSE(valid_inbox_id("đ"));
}

TEST_CASE("pipeline names are limited to lower-case letters, digits, '_' and '-'") {
  ConfigFixture fixture;
  LoadResult result =
      fixture.load(config_with(R"({ "id": "demo", "channel": { "plugin": "api" }, "pipeline": "Bad Name" })",
                               R"({ "Bad Name": { "steps": [ { "plugin": "echo" } ] } })"));
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] ==
        fixture.prefix() + "/pipelines/Bad Name: pipeline names may use only a-z, 0-9, '_' and '-'");
}

TEST_CASE("on_error must be continue, stop or handoff") {
  ConfigFixture fixture;
  LoadResult result =
      fixture.load(config_with(kInbox, R"({ "default": { "steps": [ { "plugin": "echo", "on_error": "retry" } ] } })"));
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] ==
        fixture.prefix() + "/pipelines/default/steps/0/on_error: must be one of continue, stop, handoff");
}

TEST_CASE("malformed blocks are reported at their pointers") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(R"({
    "inboxes": [ 3, { "id": "demo", "channel": { "config": [] }, "pipeline": "default" } ],
    "pipelines": { "default": { "steps": [ "reply", { "plugin": "echo", "config": 1 } ], "handoff_queue": "" },
                   "other": [] }
  })");
  CHECK_MESSAGE(result.errors.size() == 7, joined(result.errors));
  CHECK_ERROR(result.errors, fixture.prefix() + "/inboxes/0: expected object, got number");
  CHECK_ERROR(result.errors, fixture.prefix() + "/inboxes/1/channel/plugin: required string is missing");
  CHECK_ERROR(result.errors, fixture.prefix() + "/inboxes/1/channel/config: expected object, got array");
  CHECK_ERROR(result.errors, fixture.prefix() + "/pipelines/default/steps/0: expected object, got string");
  CHECK_ERROR(result.errors, fixture.prefix() + "/pipelines/default/steps/1/config: expected object, got number");
  CHECK_ERROR(result.errors, fixture.prefix() + "/pipelines/default/handoff_queue: must not be empty");
  CHECK_ERROR(result.errors, fixture.prefix() + "/pipelines/other: expected object, got array");
}

TEST_CASE("a secret written literally in the file is refused") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(config_with(
      R"({ "id": "demo", "channel": { "plugin": "api", "config": { "secret": "hunter2" } }, "pipeline": "default" })",
      kPipelines));
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] == fixture.prefix() +
                                "/inboxes/0/channel/config/secret: secret: must not be written in the file; set it "
                                "from the environment, e.g. \"${API_SECRET}\"");
  CHECK(result.errors[0].find("hunter2") == std::string::npos);
}

TEST_CASE("a secret from the environment is accepted, with or without a default") {
  ConfigFixture fixture;
  fixture.env["API_SECRET"] = "hunter2";
  for (const char* value : {"${API_SECRET}", "${UNSET_SECRET:-dev-only}", "prefix-${API_SECRET}"}) {
    CAPTURE(value);
    LoadResult result = fixture.load(config_with(std::string(R"({ "id": "demo", "pipeline": "default",
        "channel": { "plugin": "api", "config": { "secret": ")") +
                                                     value + R"(" } } })",
                                                 kPipelines));
    CHECK_MESSAGE(result.config, joined(result.errors));
  }
  LoadResult result = fixture.load(config_with(
      R"({ "id": "demo", "channel": { "plugin": "api", "config": { "secret": "${API_SECRET}" } }, "pipeline": "default" })",
      kPipelines));
  REQUIRE(result.config);
  CHECK(result.config->inboxes[0].channel.config["secret"] == "hunter2");
}

TEST_CASE("an escaped $${ in a secret is still a literal") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(config_with(
      R"({ "id": "demo", "channel": { "plugin": "api", "config": { "secret": "$${API_SECRET}" } }, "pipeline": "default" })",
      kPipelines));
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].find("/inboxes/0/channel/config/secret: secret: must not be written in the file") !=
        std::string::npos);
}

TEST_CASE("path fields of plugin configs resolve against the config file's folder") {
  ConfigFixture fixture;
  fixture.env["SHARED"] = "/srv/shared";
  LoadResult result = fixture.load(config_with(R"({ "id": "demo", "pipeline": "default", "channel": { "plugin": "api",
      "config": { "inbox_dir": "./spool/../in", "asset_dirs": ["assets", "${SHARED}/assets", ""] } } })",
                                               kPipelines));
  REQUIRE_MESSAGE(result.config, joined(result.errors));
  const nlohmann::json& config = result.config->inboxes[0].channel.config;
  CHECK(config["inbox_dir"] == (fixture.dir() / "in").string());
  CHECK(config["asset_dirs"][0] == (fixture.dir() / "assets").string());
  CHECK(config["asset_dirs"][1] == "/srv/shared/assets");
  CHECK(config["asset_dirs"][2] == "");  // empty means unset and stays empty
}

TEST_CASE("a path field's default resolves like a written path") {
  ConfigFixture fixture;
  LoadResult result = fixture.load(kMinimalConfig);
  REQUIRE_MESSAGE(result.config, joined(result.errors));
  CHECK(result.config->inboxes[0].channel.config["asset_dirs"] ==
        nlohmann::json::array({(fixture.dir() / "assets").string()}));
}

TEST_CASE("a config with a syntax error yields only that error in phase two") {
  ConfigFixture fixture;
  LoadResult result = fixture.load("{\"inboxes\": [}");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].rfind(fixture.file().string() + ":1:14: ", 0) == 0);
  CHECK_FALSE(result.config);
}

TEST_CASE("on_error names round-trip") {
  for (OnError value : {OnError::Continue, OnError::Stop, OnError::Handoff})
    CHECK(parse_on_error(to_string(value)) == value);
  CHECK_FALSE(parse_on_error("Continue"));
}

}  // namespace switchboard::config::testing
