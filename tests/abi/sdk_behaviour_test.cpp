// How the SDK behaves at the C boundary, driven through the real plugin
// tables: exception barriers, context rules (through FakeHost), and what the
// entry point accepts. The plugins are defined here and reached through
// sdk::detail::entry<T>, so one executable holds several of them.
#include <doctest/doctest.h>
#include <switchboard/sdk.hpp>
#include <switchboard/testing/fake_host.hpp>

#include <stdexcept>
#include <string>

namespace sdk = switchboard::sdk;
using switchboard::testing::FakeHost;
using Json = sdk::Json;

namespace {

struct NotAStdException {};

// Does what the message's "do" says, so each test picks a behaviour.
class TinyHandler : public sdk::Handler {
 public:
  static constexpr const char* kName = "tiny_handler";
  static constexpr const char* kVersion = "0.0.1";
  static constexpr const char* kDescription = "Test handler";
  static constexpr uint32_t kFlags = SB_PLUGIN_NON_BLOCKING;
  static constexpr std::array kFields{sdk::field("fail_create", SB_FIELD_BOOLEAN, 0, "false", "Constructor throws"),
                                      sdk::field("fail_start", SB_FIELD_BOOLEAN, 0, "false", "start() throws")};

  TinyHandler(sdk::InstanceContext ctx, const Json& config) : fail_start_(config.at("fail_start").get<bool>()) {
    if (config.at("fail_create").get<bool>()) throw sdk::ConfigError("fail_create is set");
    ctx.info("created");
  }

  void start() override {
    if (fail_start_) throw std::runtime_error("port 25 is taken");
  }

  sdk::Action on_message(sdk::MessageCall& call, const Json& message) override {
    std::string what = message.value("do", "");
    if (what == "throw_std") throw std::runtime_error("disk on fire");
    if (what == "throw_retry") throw sdk::Error(SB_ERR_RETRY, "try later");
    if (what == "throw_other") throw NotAStdException{};
    if (what == "parse") call.set_attribute("parsed", Json::parse(message.value("text", "")));
    if (what == "stop") return sdk::Action::Stop;
    if (what == "kv") {
      auto seen = call.kv_get("seen");
      call.kv_set("seen", std::to_string(seen ? std::stoi(*seen) + 1 : 1));
      if (message.value("erase", false)) call.kv_erase("seen");
    }
    if (what == "fold") call.set_attribute("folded", call.fold(message.value("text", ""), SB_TEXT_FOLD));
    if (what == "submit") {
      sdk::HttpCall wrong(call.host(), call.raw());  // a channel-only call from a message context
      wrong.submit_inbound({{"id", "x"}});
    }
    call.tag("seen");
    call.reply_text("ok");
    return sdk::Action::Continue;
  }

 private:
  bool fail_start_;
};

// A webhook channel whose on_http also tries handler effects.
class TinyChannel : public sdk::Channel {
 public:
  static constexpr const char* kName = "tiny_channel";
  static constexpr const char* kVersion = "0.0.1";
  static constexpr const char* kDescription = "Test channel";
  static constexpr std::array<sb_config_field_v1, 0> kFields{};

  TinyChannel(sdk::InstanceContext ctx, const Json&) : ctx_(ctx) {}

  void on_http(sdk::HttpCall& call, const sdk::HttpRequest& request) override {
    Json body = Json::parse(request.body);  // malformed body: the barrier answers SB_ERR_INVALID
    if (body.value("as_handler", false)) {
      sdk::MessageCall handler_view(call.host(), call.raw());  // a handler effect from on_http
      handler_view.reply_text("not allowed here");
    }
    call.submit_inbound({{"id", body.value("id", "")}, {"type", "message"}, {"text", body.value("text", "")}});
    call.respond(200, "text/plain", "ok");
  }

  void send(sdk::SendCall& call, const Json& outbound) override {
    if (outbound.value("text", "") == "busy") throw sdk::Error(SB_ERR_RETRY, "429 from platform");
    if (outbound.value("text", "") == "blocked") throw sdk::Error(SB_ERR_PERMANENT, "user blocked the page");
    call.set_result({{"message_id", "m-" + outbound.value("idempotency_key", "")}});
  }

  void submit_from_background(const std::string& id) { ctx_.submit_inbound({{"id", id}, {"type", "message"}}); }

 private:
  sdk::InstanceContext ctx_;
};

// A minimal host table for calling a plugin table directly.
struct RawHost {
  static inline std::string last_error;
  static void set_error(sb_ctx*, sb_str message) { last_error = std::string(sdk::view(message)); }
  static sb_host_v1 table() {
    sb_host_v1 h{};
    h.struct_size = sizeof(h);
    h.abi_major = SB_ABI_MAJOR;
    h.abi_minor = SB_ABI_MINOR;
    h.set_error = &set_error;
    return h;
  }
};

constexpr auto handler_entry = &sdk::detail::entry<TinyHandler>;
constexpr auto channel_entry = &sdk::detail::entry<TinyChannel>;

}  // namespace

TEST_CASE("a std::exception thrown by a handler becomes SB_ERR_FAILED with its text") {
  FakeHost host(handler_entry);
  auto handler = host.create();
  auto run = host.message(handler, {{"do", "throw_std"}});
  CHECK(run.status == SB_ERR_FAILED);
  CHECK(run.error == "disk on fire");
  CHECK(run.replies.empty());
}

TEST_CASE("sdk::Error keeps its status: SB_ERR_RETRY stays SB_ERR_RETRY") {
  FakeHost host(handler_entry);
  auto handler = host.create();
  auto run = host.message(handler, {{"do", "throw_retry"}});
  CHECK(run.status == SB_ERR_RETRY);
  CHECK(run.error == "try later");
}

TEST_CASE("an exception that is not a std::exception becomes SB_ERR_FAILED") {
  FakeHost host(handler_entry);
  auto handler = host.create();
  auto run = host.message(handler, {{"do", "throw_other"}});
  CHECK(run.status == SB_ERR_FAILED);
  CHECK(run.error == "unknown exception");
}

TEST_CASE("malformed JSON becomes SB_ERR_INVALID") {
  SUBCASE("parsed by the plugin") {
    FakeHost host(handler_entry);
    auto handler = host.create();
    auto run = host.message(handler, {{"do", "parse"}, {"text", "{\"unterminated"}});
    CHECK(run.status == SB_ERR_INVALID);
    CHECK(run.error.find("parse error") != std::string::npos);
  }
  SUBCASE("a webhook body the channel cannot parse") {
    FakeHost host(channel_entry);
    auto channel = host.create();
    auto run = host.http(channel, "POST", "{not json");
    CHECK(run.status == SB_ERR_INVALID);
    CHECK(run.submitted.empty());
  }
  SUBCASE("message_json handed to the trampoline") {
    sb_host_v1 raw = RawHost::table();
    const sb_plugin_v1* table = handler_entry(&raw);
    REQUIRE(table != nullptr);
    void* instance = nullptr;
    REQUIRE(table->create(nullptr, sdk::to_sb("{\"fail_create\": false, \"fail_start\": false}"), &instance) == SB_OK);
    int32_t action = -1;
    RawHost::last_error.clear();
    CHECK(table->on_message(instance, nullptr, sdk::to_sb("{\"text\": "), &action) == SB_ERR_INVALID);
    CHECK_FALSE(RawHost::last_error.empty());
    table->destroy(instance);
  }
}

TEST_CASE("a ConfigError from the constructor fails create with SB_ERR_INVALID and its text") {
  sb_host_v1 raw = RawHost::table();
  const sb_plugin_v1* table = handler_entry(&raw);
  REQUIRE(table != nullptr);
  void* instance = nullptr;
  CHECK(table->create(nullptr, sdk::to_sb("{\"fail_create\": true, \"fail_start\": false}"), &instance) ==
        SB_ERR_INVALID);
  CHECK(RawHost::last_error == "fail_create is set");
  CHECK(instance == nullptr);

  FakeHost host(handler_entry);
  CHECK_THROWS_WITH_AS(host.create({{"fail_create", true}}), "create failed: fail_create is set", std::runtime_error);
}

TEST_CASE("an exception from start() reaches the host through the instance context") {
  FakeHost host(handler_entry);
  CHECK_THROWS_WITH_AS(host.create({{"fail_start", true}}), "start failed: port 25 is taken", std::runtime_error);
}

TEST_CASE("handler effects from a channel's on_http context are refused with SB_ERR_STATE") {
  FakeHost host(channel_entry);
  auto channel = host.create();
  auto run = host.http(channel, "POST", R"({"id": "m1", "as_handler": true})");
  CHECK(run.status == SB_ERR_STATE);
  CHECK(run.error == "host refused reply: wrong context");
  CHECK(run.replies.empty());
  CHECK(run.submitted.empty());
}

TEST_CASE("channel effects from a handler's on_message context are refused with SB_ERR_STATE") {
  FakeHost host(handler_entry);
  auto handler = host.create();
  auto run = host.message(handler, {{"do", "submit"}});
  CHECK(run.status == SB_ERR_STATE);
  CHECK(run.error == "host refused submit_inbound: wrong context");
}

TEST_CASE("a handler's effects and action are recorded") {
  FakeHost host(handler_entry);
  auto handler = host.create();
  auto run = host.message(handler, {{"text", "hi"}});
  CHECK(run.status == SB_OK);
  CHECK(run.action == SB_ACTION_CONTINUE);
  CHECK(run.tags == std::vector<std::string>{"seen"});
  REQUIRE(run.replies.size() == 1);
  CHECK(run.replies[0] == Json{{"text", "ok"}});
  CHECK(host.message(handler, {{"do", "stop"}}).action == SB_ACTION_STOP);
  CHECK(host.logs() == std::vector<std::string>{"info: created"});
}

TEST_CASE("a channel submits from on_http and from its own threads, responds, and reports send results") {
  FakeHost host(channel_entry);
  auto channel = host.create();

  auto http = host.http(channel, "POST", R"({"id": "m1", "text": "xin chào"})");
  CHECK(http.status == SB_OK);
  REQUIRE(http.submitted.size() == 1);
  CHECK(http.submitted[0]["id"] == "m1");
  CHECK(http.http_status == 200);
  CHECK(http.http_body == "ok");

  channel.as<TinyChannel>().submit_from_background("m2");
  REQUIRE(host.submitted().size() == 1);
  CHECK(host.submitted()[0]["id"] == "m2");

  auto sent = host.send(channel, {{"idempotency_key", "42"}, {"text", "hello"}});
  CHECK(sent.status == SB_OK);
  CHECK(sent.result == Json{{"message_id", "m-42"}});
  auto busy = host.send(channel, {{"text", "busy"}});
  CHECK(busy.status == SB_ERR_RETRY);
  CHECK(busy.error == "429 from platform");
  CHECK(host.send(channel, {{"text", "blocked"}}).status == SB_ERR_PERMANENT);
}

TEST_CASE("the plugin table describes the class") {
  sb_host_v1 raw = RawHost::table();
  const sb_plugin_v1* handler = handler_entry(&raw);
  REQUIRE(handler != nullptr);
  CHECK(handler->struct_size == sizeof(sb_plugin_v1));
  CHECK(handler->abi_major == SB_ABI_MAJOR);
  CHECK(handler->abi_minor == SB_ABI_MINOR);
  CHECK(std::string(handler->name) == "tiny_handler");
  CHECK(handler->kind == SB_KIND_HANDLER);
  CHECK(handler->flags == SB_PLUGIN_NON_BLOCKING);
  CHECK(handler->config_field_count == 2);
  CHECK(handler->config_field_size == sizeof(sb_config_field_v1));
  CHECK((handler->on_message != nullptr));
  CHECK((handler->on_http == nullptr));
  CHECK((handler->send == nullptr));

  const sb_plugin_v1* channel = channel_entry(&raw);
  REQUIRE(channel != nullptr);
  CHECK(channel->kind == SB_KIND_CHANNEL);
  CHECK(channel->flags == 0);
  CHECK(channel->config_fields == nullptr);
  CHECK(channel->config_field_count == 0);
  CHECK((channel->on_message == nullptr));
  CHECK((channel->on_http != nullptr));
  CHECK((channel->send != nullptr));
}

TEST_CASE("entry refuses a host of another major or with a table too small for ABI 1.0") {
  sb_host_v1 raw = RawHost::table();
  CHECK(handler_entry(nullptr) == nullptr);

  sb_host_v1 other_major = raw;
  other_major.abi_major = SB_ABI_MAJOR + 1;
  CHECK(handler_entry(&other_major) == nullptr);
  other_major.abi_major = 0;
  CHECK(handler_entry(&other_major) == nullptr);

  sb_host_v1 too_small = raw;
  too_small.struct_size = offsetof(sb_host_v1, set_result);  // misses the last 1.0 function
  CHECK(handler_entry(&too_small) == nullptr);
  too_small.struct_size = 8;
  CHECK(channel_entry(&too_small) == nullptr);
}

TEST_CASE("entry accepts a newer minor host with a larger table") {
  struct NewerHost {
    sb_host_v1 v1;
    void (*appended)(void);
  } newer{};
  newer.v1 = RawHost::table();
  newer.v1.struct_size = sizeof(newer);
  newer.v1.abi_minor = SB_ABI_MINOR + 1;
  CHECK(handler_entry(&newer.v1) != nullptr);
}

TEST_CASE("kv values outlive an instance of the same FakeHost, as across a restart") {
  FakeHost host(handler_entry);
  {
    auto first = host.create();
    CHECK(host.message(first, {{"do", "kv"}}).status == SB_OK);
    CHECK(host.message(first, {{"do", "kv"}}).status == SB_OK);
  }
  auto second = host.create();
  CHECK(host.message(second, {{"do", "kv"}}).status == SB_OK);
  CHECK(host.kv().at("seen") == "3");
  CHECK(host.message(second, {{"do", "kv"}, {"erase", true}}).status == SB_OK);
  CHECK(host.kv().count("seen") == 0);
}

TEST_CASE("text_fold reaches the folder a test installs, and is unsupported without one") {
  FakeHost host(handler_entry);
  auto handler = host.create();
  auto without = host.message(handler, {{"do", "fold"}, {"text", "Khám"}});
  CHECK(without.status == SB_ERR_UNSUPPORTED);
  host.set_text_folder([](std::string_view text, int32_t form) {
    return std::string(form == SB_TEXT_FOLD ? "folded:" : "other:") + std::string(text);
  });
  auto with = host.message(handler, {{"do", "fold"}, {"text", "Khám"}});
  CHECK(with.status == SB_OK);
  CHECK(with.attributes.at("folded") == "folded:Khám");
}

TEST_CASE("on a 1.0 host (table without kv_*), the SDK's kv calls fail with SB_ERR_UNSUPPORTED") {
  sb_host_v1 old = RawHost::table();
  old.abi_minor = 0;
  old.struct_size = offsetof(sb_host_v1, kv_get);
  old.kv_get = [](sb_ctx*, sb_str, sb_sink_fn, void*) { return SB_OK; };  // beyond struct_size: must not be used
  const sb_plugin_v1* table = handler_entry(&old);
  REQUIRE(table != nullptr);
  void* instance = nullptr;
  std::string config = R"({"fail_create": false, "fail_start": false})";
  REQUIRE(table->create(nullptr, sb_str{config.data(), config.size()}, &instance) == SB_OK);
  std::string message = R"({"do": "kv"})";
  int32_t action = 0;
  CHECK(table->on_message(instance, nullptr, sb_str{message.data(), message.size()}, &action) == SB_ERR_UNSUPPORTED);
  CHECK(RawHost::last_error.find("kv_get") != std::string::npos);
  table->destroy(instance);
  static const sb_host_v1 full = RawHost::table();
  handler_entry(&full);  // later tests see a full host again
}
