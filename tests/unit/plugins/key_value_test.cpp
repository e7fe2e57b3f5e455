// kv_get/kv_set/kv_delete (ABI 1.1) through a real loaded plugin: values
// land in the instance's own scope, survive a new instance (a restart), and
// are refused where the host has bound no store.
#include <doctest/doctest.h>

#include <filesystem>

#include "plugins/host_api.hpp"
#include "plugins/key_value.hpp"
#include "plugins/plugin_instance.hpp"
#include "plugins/plugin_registry.hpp"

using switchboard::plugins::host_api;
using switchboard::plugins::MemoryKeyValue;
using switchboard::plugins::PluginInstance;
using switchboard::plugins::PluginRegistry;

namespace {

struct Call : sb_ctx {
  std::string attribute;
  void log(int32_t, std::string_view) override {}
  sb_status set_attribute(std::string_view, std::string_view value) override {
    attribute = std::string(value);
    return SB_OK;
  }
};

nlohmann::json counting_config() {
  return {{"tags", nlohmann::json::array()}, {"score", 1.0}, {"stop", false}, {"fail", ""}, {"kv_count", "seen"}};
}

std::unique_ptr<PluginInstance> counter(PluginRegistry& registry) {
  return PluginInstance::create(registry.find("fixture_script"), "step", counting_config());
}

}  // namespace

TEST_CASE("a plugin's kv values persist in its scope across instances") {
  PluginRegistry registry(host_api());
  registry.load_directory(SWITCHBOARD_TEST_PLUGIN_DIR "/good", true);
  MemoryKeyValue store;
  int32_t action = 0;
  {
    auto first = counter(registry);
    first->set_key_value(&store, "step/p/fixture_script/0");
    Call call;
    REQUIRE(first->on_message(call, "{}", action) == SB_OK);
    REQUIRE(first->on_message(call, "{}", action) == SB_OK);
    CHECK(call.attribute == "2");
  }
  auto second = counter(registry);  // "after a restart"
  second->set_key_value(&store, "step/p/fixture_script/0");
  Call call;
  REQUIRE(second->on_message(call, "{}", action) == SB_OK);
  CHECK(call.attribute == "3");
  CHECK(store.get("step/p/fixture_script/0", "seen") == "3");

  auto other = counter(registry);  // another step: its own scope
  other->set_key_value(&store, "step/p/fixture_script/1");
  REQUIRE(other->on_message(call, "{}", action) == SB_OK);
  CHECK(call.attribute == "1");
}

TEST_CASE("kv calls without a bound store are refused with SB_ERR_STATE") {
  PluginRegistry registry(host_api());
  registry.load_directory(SWITCHBOARD_TEST_PLUGIN_DIR "/good", true);
  auto instance = counter(registry);
  Call call;
  int32_t action = 0;
  CHECK(instance->on_message(call, "{}", action) == SB_ERR_STATE);
  CHECK(call.error().find("kv_get") != std::string::npos);
}

TEST_CASE("the host's kv functions check their arguments") {
  const sb_host_v1& host = host_api();
  REQUIRE(host.abi_minor >= 1);
  MemoryKeyValue store;
  switchboard::plugins::KeyValueScope scope{&store, "s"};
  Call call;
  call.bind_key_value(&scope);
  CHECK(host.kv_set(nullptr, sb_str{"k", 1}, sb_str{"v", 1}) == SB_ERR_STATE);
  CHECK(host.kv_set(&call, sb_str{"", 0}, sb_str{"v", 1}) == SB_ERR_INVALID);
  CHECK(host.kv_get(&call, sb_str{"k", 1}, nullptr, nullptr) == SB_ERR_INVALID);
  CHECK(host.kv_set(&call, sb_str{"k", 1}, sb_str{"v", 1}) == SB_OK);
  std::string seen;
  auto sink = [](void* user, sb_str value) { static_cast<std::string*>(user)->assign(value.ptr, value.len); };
  CHECK(host.kv_get(&call, sb_str{"k", 1}, sink, &seen) == SB_OK);
  CHECK(seen == "v");
  CHECK(host.kv_delete(&call, sb_str{"k", 1}) == SB_OK);
  CHECK(host.kv_get(&call, sb_str{"k", 1}, sink, &seen) == SB_ERR_NOT_FOUND);
}
