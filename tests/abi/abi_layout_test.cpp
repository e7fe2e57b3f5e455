// The frozen shape of ABI 1.x, member by member (LP64). plugin.h checks a few
// offsets itself; this test names every one, so a failure says exactly which
// member moved. Changing a number here is changing the ABI: see plugin.h.
#include <doctest/doctest.h>
#include <switchboard/plugin.h>

#include <cstddef>
#include <cstring>
#include <type_traits>

static_assert(sizeof(void*) == 8 && sizeof(size_t) == 8, "the frozen layout below is for LP64 targets");

TEST_CASE("sb_str is a pointer and a length") {
  CHECK(sizeof(sb_str) == 16);
  CHECK(offsetof(sb_str, ptr) == 0);
  CHECK(offsetof(sb_str, len) == 8);
  CHECK(std::is_same_v<decltype(sb_str::ptr), const char*>);
  CHECK(std::is_same_v<decltype(sb_str::len), size_t>);
  CHECK(std::is_same_v<sb_status, int32_t>);
}

TEST_CASE("sb_config_field_v1 layout is frozen") {
  CHECK(sizeof(sb_config_field_v1) == 32);
  CHECK(offsetof(sb_config_field_v1, name) == 0);
  CHECK(offsetof(sb_config_field_v1, type) == 8);
  CHECK(offsetof(sb_config_field_v1, flags) == 12);
  CHECK(offsetof(sb_config_field_v1, default_json) == 16);
  CHECK(offsetof(sb_config_field_v1, description) == 24);
}

TEST_CASE("sb_http_request_v1 layout is frozen") {
  CHECK(sizeof(sb_http_request_v1) == 104);
  CHECK(offsetof(sb_http_request_v1, struct_size) == 0);
  CHECK(offsetof(sb_http_request_v1, reserved) == 4);
  CHECK(offsetof(sb_http_request_v1, method) == 8);
  CHECK(offsetof(sb_http_request_v1, path) == 24);
  CHECK(offsetof(sb_http_request_v1, query) == 40);
  CHECK(offsetof(sb_http_request_v1, headers_json) == 56);
  CHECK(offsetof(sb_http_request_v1, body) == 72);
  CHECK(offsetof(sb_http_request_v1, remote_addr) == 88);
}

TEST_CASE("sb_host_v1 layout is frozen: header, then 13 functions of 1.0 and 4 of 1.1 in order") {
  CHECK(sizeof(sb_host_v1) == 144);
  CHECK(offsetof(sb_host_v1, struct_size) == 0);
  CHECK(offsetof(sb_host_v1, abi_major) == 4);
  CHECK(offsetof(sb_host_v1, abi_minor) == 6);
  CHECK(offsetof(sb_host_v1, log) == 8);
  CHECK(offsetof(sb_host_v1, set_error) == 16);
  CHECK(offsetof(sb_host_v1, tag) == 24);
  CHECK(offsetof(sb_host_v1, set_attribute) == 32);
  CHECK(offsetof(sb_host_v1, set_intent) == 40);
  CHECK(offsetof(sb_host_v1, reply) == 48);
  CHECK(offsetof(sb_host_v1, assign) == 56);
  CHECK(offsetof(sb_host_v1, resolve) == 64);
  CHECK(offsetof(sb_host_v1, state_get) == 72);
  CHECK(offsetof(sb_host_v1, state_set) == 80);
  CHECK(offsetof(sb_host_v1, submit_inbound) == 88);
  CHECK(offsetof(sb_host_v1, http_respond) == 96);
  CHECK(offsetof(sb_host_v1, set_result) == 104);
  CHECK(offsetof(sb_host_v1, kv_get) == 112);  // 1.1
  CHECK(offsetof(sb_host_v1, kv_set) == 120);
  CHECK(offsetof(sb_host_v1, kv_delete) == 128);
  CHECK(offsetof(sb_host_v1, text_fold) == 136);
}

TEST_CASE("sb_host_v1 function signatures are frozen") {
  CHECK(std::is_same_v<decltype(sb_host_v1::log), void (*)(sb_ctx*, int32_t, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::set_error), void (*)(sb_ctx*, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::tag), sb_status (*)(sb_ctx*, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::set_attribute), sb_status (*)(sb_ctx*, sb_str, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::set_intent), sb_status (*)(sb_ctx*, sb_str, double)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::reply), sb_status (*)(sb_ctx*, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::assign), sb_status (*)(sb_ctx*, sb_str, int32_t, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::resolve), sb_status (*)(sb_ctx*, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::state_get), sb_status (*)(sb_ctx*, sb_str, sb_str*)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::state_set), sb_status (*)(sb_ctx*, sb_str, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::submit_inbound), sb_status (*)(sb_ctx*, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::http_respond), sb_status (*)(sb_ctx*, int32_t, sb_str, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_host_v1::set_result), sb_status (*)(sb_ctx*, sb_str)>);
}

TEST_CASE("sb_plugin_v1 layout is frozen") {
  CHECK(sizeof(sb_plugin_v1) == 120);
  CHECK(offsetof(sb_plugin_v1, struct_size) == 0);
  CHECK(offsetof(sb_plugin_v1, abi_major) == 4);
  CHECK(offsetof(sb_plugin_v1, abi_minor) == 6);
  CHECK(offsetof(sb_plugin_v1, name) == 8);
  CHECK(offsetof(sb_plugin_v1, version) == 16);
  CHECK(offsetof(sb_plugin_v1, description) == 24);
  CHECK(offsetof(sb_plugin_v1, kind) == 32);
  CHECK(offsetof(sb_plugin_v1, flags) == 36);
  CHECK(offsetof(sb_plugin_v1, config_fields) == 40);
  CHECK(offsetof(sb_plugin_v1, config_field_count) == 48);
  CHECK(offsetof(sb_plugin_v1, config_field_size) == 52);
  CHECK(offsetof(sb_plugin_v1, create) == 56);
  CHECK(offsetof(sb_plugin_v1, start) == 64);
  CHECK(offsetof(sb_plugin_v1, stop) == 72);
  CHECK(offsetof(sb_plugin_v1, destroy) == 80);
  CHECK(offsetof(sb_plugin_v1, on_message) == 88);
  CHECK(offsetof(sb_plugin_v1, on_http) == 96);
  CHECK(offsetof(sb_plugin_v1, send) == 104);
  CHECK(offsetof(sb_plugin_v1, may_send) == 112);
}

TEST_CASE("sb_plugin_v1 function signatures and the entry point are frozen") {
  CHECK(std::is_same_v<decltype(sb_plugin_v1::create), sb_status (*)(sb_ctx*, sb_str, void**)>);
  CHECK(std::is_same_v<decltype(sb_plugin_v1::start), sb_status (*)(void*)>);
  CHECK(std::is_same_v<decltype(sb_plugin_v1::stop), void (*)(void*)>);
  CHECK(std::is_same_v<decltype(sb_plugin_v1::destroy), void (*)(void*)>);
  CHECK(std::is_same_v<decltype(sb_plugin_v1::on_message), sb_status (*)(void*, sb_ctx*, sb_str, int32_t*)>);
  CHECK(std::is_same_v<decltype(sb_plugin_v1::on_http), sb_status (*)(void*, sb_ctx*, const sb_http_request_v1*)>);
  CHECK(std::is_same_v<decltype(sb_plugin_v1::send), sb_status (*)(void*, sb_ctx*, sb_str)>);
  CHECK(std::is_same_v<decltype(sb_plugin_v1::may_send), sb_status (*)(void*, sb_ctx*, sb_str)>);
  CHECK(std::is_same_v<sb_plugin_entry_v1_fn, const sb_plugin_v1* (*)(const sb_host_v1*)>);
  CHECK(std::strcmp(SB_PLUGIN_ENTRY_V1, "sb_plugin_entry_v1") == 0);
}

TEST_CASE("constants keep their values") {
  CHECK(SB_ABI_MAJOR == 1);
  CHECK(SB_OK == 0);
  CHECK(SB_ERR_FAILED == -1);
  CHECK(SB_ERR_INVALID == -2);
  CHECK(SB_ERR_UNAUTHORIZED == -3);
  CHECK(SB_ERR_RETRY == -4);
  CHECK(SB_ERR_PERMANENT == -5);
  CHECK(SB_ERR_UNSUPPORTED == -6);
  CHECK(SB_ERR_STATE == -7);
  CHECK(SB_ERR_NOT_FOUND == -8);
  CHECK(SB_KIND_CHANNEL == 1);
  CHECK(SB_KIND_HANDLER == 2);
  CHECK(SB_PLUGIN_THREAD_SAFE == 0x1u);
  CHECK(SB_PLUGIN_NON_BLOCKING == 0x2u);
  CHECK(SB_ACTION_CONTINUE == 0);
  CHECK(SB_ACTION_STOP == 1);
  CHECK(SB_LOG_DEBUG == 0);
  CHECK(SB_LOG_INFO == 1);
  CHECK(SB_LOG_WARN == 2);
  CHECK(SB_LOG_ERROR == 3);
  CHECK(SB_PRIORITY_LOW == 0);
  CHECK(SB_PRIORITY_NORMAL == 1);
  CHECK(SB_PRIORITY_HIGH == 2);
  CHECK(SB_PRIORITY_URGENT == 3);
  CHECK(SB_FIELD_STRING == 1);
  CHECK(SB_FIELD_INTEGER == 2);
  CHECK(SB_FIELD_NUMBER == 3);
  CHECK(SB_FIELD_BOOLEAN == 4);
  CHECK(SB_FIELD_STRING_ARRAY == 5);
  CHECK(SB_FIELD_ARRAY == 6);
  CHECK(SB_FIELD_OBJECT == 7);
  CHECK(SB_FIELD_PATH == 8);
  CHECK(SB_FIELD_PATH_ARRAY == 9);
  CHECK(SB_FIELD_REQUIRED == 0x1u);
  CHECK(SB_FIELD_SECRET == 0x2u);
}

TEST_CASE("SB_HAS_FIELD reads the size the other side reported") {
  sb_host_v1 host{};
  host.struct_size = offsetof(sb_host_v1, submit_inbound);  // an older, shorter table
  CHECK(SB_HAS_FIELD(&host, sb_host_v1, state_set));
  CHECK_FALSE(SB_HAS_FIELD(&host, sb_host_v1, submit_inbound));
  host.struct_size = sizeof(sb_host_v1);
  CHECK(SB_HAS_FIELD(&host, sb_host_v1, set_result));
}
