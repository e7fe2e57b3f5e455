// The gateway's two forms with real channel plugins and a real SQLite file:
// a thread-safe channel is taken on the calling (network) thread and answered
// from the commit callback; one that is not thread-safe is left to the
// blocking form, and nothing is stored before that.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>

#include "app/runtime.hpp"
#include "app/runtime_source.hpp"
#include "processing/inbound_gateway.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace switchboard;

namespace {

class Fixture {
 public:
  Fixture() {
    dir_ = fs::temp_directory_path() / ("sb_gateway_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::path plugins(SWITCHBOARD_TEST_PLUGIN_DIR);
    std::string log = (dir_ / "sends.log").string();
    std::ofstream(dir_ / "cfg.json") << json{
        {"service", {{"plugin_dirs", {(plugins / "good").string(), (plugins / "serial").string()}}}},
        {"inboxes",
         {{{"id", "fast"},
           {"channel", {{"plugin", "fixture_channel"}, {"config", {{"log", log}}}}},
           {"pipeline", "main"}},
          {{"id", "serial"},
           {"channel", {{"plugin", "fixture_serial_channel"}, {"config", {{"log", log}}}}},
           {"pipeline", "main"}}}},
        {"pipelines", {{"main", {{"steps", {{{"plugin", "reply"}, {"config", {{"text", "bot: {text}"}}}}}}}}}}};
    runtimes.replace(app::Runtime::load(dir_ / "cfg.json", SWITCHBOARD_BINARY, app::Runtime::Parts::Everything));
    store = store::open_sqlite_store(dir_ / "db" / "switchboard.db");
    gateway = std::make_unique<processing::InboundGateway>(
        runtimes, *store, [this] { ++committed; }, [](const std::string&, const processing::IngestCounts&) {});
  }
  ~Fixture() {
    gateway.reset();
    store.reset();
    runtimes.replace(nullptr);
    fs::remove_all(dir_);
  }

  static http::WebhookRequest post(const std::string& inbox, const std::string& id) {
    json event = {{"id", id}, {"type", "message"}, {"sender", {{"id", "u1"}}}, {"text", "xin chào"}};
    return http::WebhookRequest{inbox, "POST", "", "", "{}", event.dump(), "127.0.0.1"};
  }

  app::RuntimeSource runtimes;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<processing::InboundGateway> gateway;
  std::atomic<int> committed{0};

 private:
  fs::path dir_;
};

}  // namespace

TEST_CASE("a thread-safe channel is answered from the commit; one that is not is left to the blocking form") {
  Fixture f;

  std::promise<http::WebhookResponse> answer;
  http::Responder respond = [&answer](http::WebhookResponse response) { answer.set_value(std::move(response)); };
  REQUIRE(f.gateway->handle_async(Fixture::post("fast", "m1"), respond));
  http::WebhookResponse fast = answer.get_future().get();
  CHECK(fast.status == 200);
  CHECK(f.committed == 1);
  CHECK(f.store->unprocessed_events().size() == 1);

  bool called = false;
  http::Responder never = [&called](http::WebhookResponse) { called = true; };
  CHECK_FALSE(f.gateway->handle_async(Fixture::post("serial", "m2"), never));
  CHECK_FALSE(called);
  CHECK(f.store->unprocessed_events().size() == 1);  // the plugin was not even called

  http::WebhookResponse serial = f.gateway->handle(Fixture::post("serial", "m2"));
  CHECK(serial.status == 200);
  CHECK(f.committed == 2);
  CHECK(f.store->unprocessed_events().size() == 2);
}

TEST_CASE("an unknown inbox is answered 404 at once, a duplicate 200 without a second event") {
  Fixture f;
  std::promise<http::WebhookResponse> unknown;
  http::Responder respond = [&unknown](http::WebhookResponse response) { unknown.set_value(std::move(response)); };

  REQUIRE(f.gateway->handle_async(Fixture::post("nope", "m1"), respond));
  CHECK(unknown.get_future().get().status == 404);

  for (int i = 0; i < 2; ++i) {
    std::promise<http::WebhookResponse> again;
    http::Responder told = [&again](http::WebhookResponse response) { again.set_value(std::move(response)); };
    REQUIRE(f.gateway->handle_async(Fixture::post("fast", "same"), told));
    CHECK(again.get_future().get().status == 200);
  }
  CHECK(f.committed == 1);  // only the first was new
  CHECK(f.store->unprocessed_events().size() == 1);
}
