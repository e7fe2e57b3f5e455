// Unit tests for example_echo, through FakeHost: the same C table, exception
// barriers and config validation the real host uses, without the host.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <switchboard/testing/fake_host.hpp>

using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

TEST_CASE("echo replies with the prefixed text and stops the pipeline") {
  FakeHost host(sb_plugin_entry_v1);
  auto echo = host.create();  // defaults from the descriptor
  auto run = host.message(echo, {{"text", "xin chào"}});
  CHECK(run.status == SB_OK);
  CHECK(run.action == SB_ACTION_STOP);
  CHECK(run.tags == std::vector<std::string>{"echoed"});
  REQUIRE(run.replies.size() == 1);
  CHECK(run.replies[0]["text"] == "Bạn đã gửi: xin chào");
}

TEST_CASE("echo passes messages without text to the next step") {
  FakeHost host(sb_plugin_entry_v1);
  auto echo = host.create({{"prefix", "> "}});
  auto run = host.message(echo, {{"attachments", Json::array({{{"type", "sticker"}}})}});
  CHECK(run.status == SB_OK);
  CHECK(run.action == SB_ACTION_CONTINUE);
  CHECK(run.replies.empty());
}

TEST_CASE("echo cuts long texts without splitting a UTF-8 character") {
  FakeHost host(sb_plugin_entry_v1);
  auto echo = host.create({{"prefix", ""}, {"max_length", 4}});
  // "đặt" is 2 + 3 bytes: a 4-byte cut must stop after "đ".
  CHECK(host.message(echo, {{"text", "đặt lịch"}}).replies.at(0)["text"] == "đ");
}

TEST_CASE("echo config is validated like the host does") {
  FakeHost host(sb_plugin_entry_v1);
  CHECK_THROWS_WITH_AS(host.create({{"prefx", "> "}}),
                       "config /prefx: unknown key for plugin 'example_echo'; did you mean 'prefix'?",
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"max_length", "ten"}}), "config /max_length: expected integer, got string",
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"max_length", 0}}), "create failed: max_length: must be at least 1",
                       std::runtime_error);
}

TEST_CASE("echo describes itself") {
  FakeHost host(sb_plugin_entry_v1);
  CHECK(std::string(host.plugin().name) == "example_echo");
  CHECK(host.plugin().kind == SB_KIND_HANDLER);
  CHECK(host.plugin().config_field_count == 2);
}
