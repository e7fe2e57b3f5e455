// Unit tests for the reply handler through FakeHost (the real C table).
#include <doctest/doctest.h>
#include <switchboard/testing/fake_host.hpp>

using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

TEST_CASE("reply answers with its text and continues") {
  FakeHost host(sb_plugin_entry_v1);
  auto reply = host.create({{"text", "Đã nhận tin nhắn"}});
  auto run = host.message(reply, {{"text", "đặt lịch khám"}});
  CHECK(run.status == SB_OK);
  CHECK(run.action == SB_ACTION_CONTINUE);
  REQUIRE(run.replies.size() == 1);
  CHECK(run.replies[0]["text"] == "Đã nhận tin nhắn");
}

TEST_CASE("reply fills variables from the message and falls back when absent") {
  FakeHost host(sb_plugin_entry_v1);
  auto reply = host.create({{"text", "Chào {contact.name|bạn}, {{ok}}"}});
  CHECK(host.message(reply, {{"contact", {{"name", "Lan"}}}}).replies.at(0)["text"] == "Chào Lan, {ok}");
  CHECK(host.message(reply, {{"text", "hi"}}).replies.at(0)["text"] == "Chào bạn, {ok}");
}

TEST_CASE("once_per_conversation replies to the first message of each conversation only") {
  FakeHost host(sb_plugin_entry_v1);
  auto reply = host.create({{"text", "Xin chào"}, {"once_per_conversation", true}});
  Json first = {{"conversation", {{"id", "c1"}}}, {"text", "a"}};
  Json other = {{"conversation", {{"id", "c2"}}}, {"text", "b"}};
  CHECK(host.message(reply, first).replies.size() == 1);
  CHECK(host.message(reply, first).replies.empty());
  CHECK(host.message(reply, other).replies.size() == 1);
}

TEST_CASE("reply config is checked: text required, unknown keys and broken templates refused") {
  FakeHost host(sb_plugin_entry_v1);
  CHECK_THROWS_WITH_AS(host.create(Json::object()), "config /text: required string is missing", std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"text", "x"}, {"once", true}}),
                       "config /once: unknown key for plugin 'reply'; expected one of: text, once_per_conversation",
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"text", "Chào {contact.name"}}), "create failed: unclosed '{' at byte 6",
                       std::runtime_error);
}
