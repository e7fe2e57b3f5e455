// The in-memory pipeline engine with real plugin instances (fixture_script,
// loaded with Boost.DLL): order, effects, stop, on_error policies, one
// controller, per-conversation state and the trace.
#include <doctest/doctest.h>

#include "pipeline/pipeline_runner.hpp"
#include "plugins/host_api.hpp"
#include "plugins/plugin_registry.hpp"

using nlohmann::json;
using namespace switchboard;

namespace {

const std::filesystem::path kFixtures = SWITCHBOARD_TEST_PLUGIN_DIR;

// A registry shared by the tests; modules live as long as the process.
plugins::PluginRegistry& registry() {
  static plugins::PluginRegistry r = [] {
    plugins::PluginRegistry loaded(plugins::host_api());
    loaded.load_directory(kFixtures / "good", true);
    return loaded;
  }();
  return r;
}

json script(json config) {
  json defaults = {{"tags", json::array()}, {"score", 1.0}, {"stop", false}, {"fail", ""}};
  defaults.update(config);
  return defaults;
}

pipeline::Step step(const std::string& plugin, json config, pipeline::OnError on_error = pipeline::OnError::Continue) {
  auto module = registry().find(plugin);
  REQUIRE(module);
  std::shared_ptr<plugins::PluginInstance> instance =
      plugins::PluginInstance::create(module, "test", plugin == "fixture_script" ? script(config) : config);
  static int n = 0;
  return pipeline::Step{plugin, plugin + "." + std::to_string(n++), instance, on_error};
}

pipeline::RunResult run(const pipeline::Pipeline& p, json message = {{"text", "xin chào"}}, bool human = false) {
  return pipeline::PipelineRunner(p).run({message, human, nullptr});
}

}  // namespace

TEST_CASE("steps run in order and each sees what earlier steps decided") {
  pipeline::Pipeline p{"default",
                       {step("fixture_script", {{"tags", {"a"}}, {"intent", "greet"}, {"score", 0.75}}),
                        step("fixture_script", {{"tags", {"b", "a"}}, {"reply", "Chào bạn"}})},
                       "reception"};
  auto r = run(p);
  CHECK(r.tags == std::vector<std::string>{"a", "b"});
  REQUIRE(r.intent);
  CHECK(r.intent->name == "greet");
  CHECK(r.intent->score == doctest::Approx(0.75));
  REQUIRE(r.replies.size() == 1);
  CHECK(r.replies[0].outbound["text"] == "Chào bạn");
  CHECK(r.replies[0].step == 1);
  REQUIRE(r.steps.size() == 2);
  CHECK(r.steps[0].action == "continue");
  CHECK(r.steps[0].detail == "intent greet (0.75); tag a");
  CHECK(r.steps[1].detail == "tag b; tag a; replied (1)");
  CHECK_FALSE(r.decided_by);
}

TEST_CASE("a step that stops ends the run and is recorded as the decider") {
  pipeline::Pipeline p{
      "default",
      {step("fixture_script", {{"reply", "one"}, {"stop", true}}), step("fixture_script", {{"reply", "two"}})},
      "reception"};
  auto r = run(p);
  CHECK(r.replies.size() == 1);
  CHECK(r.steps.size() == 1);
  CHECK(r.steps[0].action == "stop");
  CHECK(r.decided_by == 0u);
}

TEST_CASE("a failing step leaves none of its effects behind") {
  // bad_reply tags first, then makes an invalid reply call: the tag must not survive.
  pipeline::Pipeline p{"default", {step("fixture_script", {{"tags", {"half"}}, {"fail", "bad_reply"}})}, "reception"};
  auto r = run(p);
  CHECK(r.tags.empty());
  REQUIRE(r.steps.size() == 1);
  CHECK(r.steps[0].action == "error");
  CHECK(r.steps[0].status == SB_ERR_INVALID);
  CHECK(r.steps[0].detail.find("reply needs a JSON object") != std::string::npos);
}

TEST_CASE("on_error continue records the failure and runs the next step") {
  pipeline::Pipeline p{"default",
                       {step("fixture_script", {{"fail", "throw"}}, pipeline::OnError::Continue),
                        step("fixture_script", {{"reply", "still here"}})},
                       "reception"};
  auto r = run(p);
  REQUIRE(r.steps.size() == 2);
  CHECK(r.steps[0].action == "error");
  CHECK(r.steps[0].status == SB_ERR_FAILED);
  CHECK(r.steps[0].detail == "failed: scripted exception; on_error=continue");
  CHECK(r.replies.size() == 1);
}

TEST_CASE("on_error stop ends the run at the failing step") {
  pipeline::Pipeline p{"default",
                       {step("fixture_script", {{"fail", "error"}}, pipeline::OnError::Stop),
                        step("fixture_script", {{"reply", "never"}})},
                       "reception"};
  auto r = run(p);
  CHECK(r.steps.size() == 1);
  CHECK(r.replies.empty());
  CHECK_FALSE(r.assignment);
  CHECK(r.decided_by == 0u);
}

TEST_CASE("on_error handoff hands the conversation to the pipeline's handoff queue") {
  pipeline::Pipeline p{"default",
                       {step("fixture_script", {{"fail", "error"}}, pipeline::OnError::Handoff),
                        step("fixture_script", {{"reply", "never"}})},
                       "reception"};
  auto r = run(p);
  REQUIRE(r.assignment);
  CHECK(r.assignment->queue == "reception");
  CHECK(r.assignment->reason == "step 0 (fixture_script) failed: scripted failure");
  CHECK(r.replies.empty());
  CHECK(r.to_json()["queue"] == "reception");
}

TEST_CASE("one controller: while a human controls the conversation bot replies are suppressed") {
  pipeline::Pipeline p{"default", {step("fixture_script", {{"reply", "bot text"}})}, "reception"};
  auto r = run(p, {{"text", "hi"}}, true);
  REQUIRE(r.replies.size() == 1);
  CHECK(r.replies[0].suppressed);
  CHECK(r.sendable_replies() == 0);
  CHECK(r.steps[0].detail == "reply suppressed (1)");
  CHECK(r.to_json()["replies"][0]["suppressed"] == "a human controls this conversation");
}

TEST_CASE("after a handoff, later steps cannot talk over the human") {
  pipeline::Pipeline p{"default",
                       {step("fixture_script", {{"assign", "cskh"}, {"reply", "Đã chuyển nhân viên"}}),
                        step("fixture_script", {{"reply", "bot keeps talking"}})},
                       "reception"};
  auto r = run(p);
  REQUIRE(r.replies.size() == 2);
  CHECK_FALSE(r.replies[0].suppressed);
  CHECK(r.replies[1].suppressed);
  REQUIRE(r.assignment);
  CHECK(r.assignment->queue == "cskh");
  CHECK(r.assignment->priority == SB_PRIORITY_HIGH);
}

TEST_CASE("steps see only messages matching their condition; C plugins work as steps") {
  pipeline::Pipeline p{
      "default",
      {step("fixture_script", {{"when_text", "học phí"}, {"tags", {"tuition"}}}), step("fixture_c", json::object())},
      "reception"};
  auto r = run(p, {{"text", "học phí bao nhiêu"}});
  CHECK(r.tags == std::vector<std::string>{"tuition", "seen_by_c"});
  REQUIRE(r.replies.size() == 1);
  CHECK(r.replies[0].outbound["text"].get<std::string>().rfind("c:", 0) == 0);
  auto other = run(p, {{"text", "xin chào"}});
  CHECK(other.tags == std::vector<std::string>{"seen_by_c"});
}

TEST_CASE("the trace JSON carries steps, tags, intent, replies and queue") {
  pipeline::Pipeline p{"default", {step("fixture_script", {{"intent", "price"}, {"score", 0.5}})}, "reception"};
  json t = run(p).to_json();
  CHECK(t["steps"][0]["plugin"] == "fixture_script");
  CHECK(t["steps"][0]["action"] == "continue");
  CHECK(t["intent"] == json{{"name", "price"}, {"score", 0.5}});
  CHECK(t["replies"] == json::array());
  CHECK(t["queue"] == nullptr);
}
