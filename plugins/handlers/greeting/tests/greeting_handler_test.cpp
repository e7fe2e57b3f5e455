// greeting through FakeHost: follow events, first messages, once only.
#include <doctest/doctest.h>
#include <switchboard/testing/fake_host.hpp>

using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

namespace {
Json first(const std::string& conversation) {
  return {{"type", "message"}, {"text", "giá khám?"}, {"conversation", {{"id", conversation}, {"new", true}}}};
}
}  // namespace

TEST_CASE("the first message of a conversation is greeted once and the pipeline continues") {
  FakeHost host(sb_plugin_entry_v1);
  auto greeting = host.create({{"text", "Chào {contact.name|bạn}!"}});
  Json message = first("c1");
  message["contact"] = {{"name", "Lan"}};
  auto run = host.message(greeting, message);
  CHECK(run.action == SB_ACTION_CONTINUE);
  REQUIRE(run.replies.size() == 1);
  CHECK(run.replies[0]["text"] == "Chào Lan!");
  CHECK(host.message(greeting, first("c1")).replies.empty());  // "new" again, but greeted already
  Json later = {{"text", "còn nữa"}, {"conversation", {{"id", "c2"}, {"new", false}}}};
  CHECK(host.message(greeting, later).replies.empty());
}

TEST_CASE("a follow event gets the welcome and stops; the next message is not greeted again") {
  FakeHost host(sb_plugin_entry_v1);
  auto greeting = host.create({{"text", "Chào bạn"}, {"follow_text", "Cảm ơn bạn đã quan tâm OA"}});
  auto run = host.message(greeting, {{"type", "follow"}, {"conversation", {{"id", "c1"}, {"new", true}}}});
  CHECK(run.action == SB_ACTION_STOP);
  REQUIRE(run.replies.size() == 1);
  CHECK(run.replies[0]["text"] == "Cảm ơn bạn đã quan tâm OA");
  CHECK(run.tags == std::vector<std::string>{"followed"});
  CHECK(host.message(greeting, first("c1")).replies.empty());
}

TEST_CASE("greetings can be switched off per kind") {
  FakeHost host(sb_plugin_entry_v1);
  auto greeting = host.create({{"on_follow", false}, {"on_first_message", false}});
  CHECK(host.message(greeting, first("c1")).replies.empty());
  CHECK(host.message(greeting, {{"type", "follow"}, {"conversation", {{"id", "c1"}}}}).action == SB_ACTION_CONTINUE);
  CHECK_THROWS_WITH_AS(host.create({{"text", ""}}), "create failed: text: must not be empty", std::runtime_error);
}
