// One event through the real pieces: a SQLite file, plugins loaded with
// Boost.DLL, the pipeline engine, one commit. Checks the conversation model:
// handoff takes control, the bot stays quiet while a human controls the
// conversation, resolve gives control back, a new message reopens.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "app/runtime.hpp"
#include "processing/inbound_event.hpp"
#include "processing/message_processor.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace switchboard;

namespace {

class Fixture {
 public:
  Fixture() {
    static int n = 0;
    dir_ = fs::temp_directory_path() / ("sb_proc_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "cfg.json") << R"({
      "service": { "plugin_dirs": [")" + (fs::path(SWITCHBOARD_TEST_PLUGIN_DIR) / "good").string() +
                                            R"("] },
      "inboxes": [ { "id": "web", "channel": { "plugin": "api", "config": { "secret": "${SB_T:-0123456789}" } },
                     "pipeline": "main" } ],
      "pipelines": { "main": { "steps": [
        { "plugin": "fixture_script", "config": { "when_text": "nhân viên", "assign": "cskh", "reply": "Đã chuyển", "stop": true } },
        { "plugin": "fixture_script", "config": { "when_text": "cảm ơn", "tags": ["thanks"] } },
        { "plugin": "reply", "config": { "text": "bot: {text}" } } ] } } })";
    runtime = app::Runtime::load(dir_ / "cfg.json", SWITCHBOARD_BINARY, app::Runtime::Parts::PipelinesOnly);
    store = store::open_sqlite_store(dir_ / "db" / "switchboard.db");
  }
  ~Fixture() {
    store.reset();
    fs::remove_all(dir_);
  }

  // Ingests one event and processes it; returns the outcome.
  processing::ProcessOutcome deliver(const json& event) {
    store::InboundEvent parsed;
    std::string why;
    REQUIRE(processing::parse_inbound_event("web", event.dump(), 1000 + ++clock_, parsed, why));
    auto outcomes = store->ingest({parsed});
    REQUIRE_FALSE(outcomes[0].duplicate);
    return processor().process(*runtime, store::StoredEvent{outcomes[0].event_id, parsed});
  }
  processing::ProcessOutcome say(const std::string& text) {
    return deliver({{"id", "m" + std::to_string(++ids_)}, {"sender", {{"id", "u1"}, {"name", "Lan"}}}, {"text", text}});
  }
  processing::MessageProcessor processor() { return processing::MessageProcessor(*store); }

  std::unique_ptr<app::Runtime> runtime;
  std::unique_ptr<store::Store> store;

 private:
  fs::path dir_;
  int ids_ = 0;
  int clock_ = 0;
};

}  // namespace

TEST_CASE("a message is answered by the bot and the run is committed once") {
  Fixture f;
  auto outcome = f.say("học phí bao nhiêu");
  CHECK(outcome.ran_pipeline);
  CHECK(outcome.outbox_rows == 1);
  CHECK(f.store->unprocessed_events().empty());
  auto rows = f.store->claim_outbox(1'000'000'000'000'000, 10);
  REQUIRE(rows.size() == 1);
  json payload = json::parse(rows[0].payload_json);
  CHECK(payload["text"] == "bot: học phí bao nhiêu");
  CHECK(payload["recipient"]["id"] == "u1");
  CHECK(payload["in_reply_to"] == "m1");
}

TEST_CASE("handoff silences the bot until the conversation is resolved") {
  Fixture f;
  auto handoff = f.say("cho gặp nhân viên");
  CHECK(handoff.outbox_rows == 1);  // "Đã chuyển" from the step that hands off
  REQUIRE(handoff.run.assignment);
  CHECK(handoff.run.assignment->queue == "cskh");

  auto later = f.say("alo?");
  CHECK(later.ran_pipeline);
  CHECK(later.outbox_rows == 0);
  CHECK(later.suppressed_replies == 1);  // recorded, never sent
}

TEST_CASE("a human reply typed in the platform takes control from the bot") {
  Fixture f;
  CHECK(f.say("xin chào").outbox_rows == 1);
  f.deliver({{"id", "echo-1"}, {"type", "agent_message"}, {"sender", {{"id", "u1"}}}, {"text", "Chào chị, em nghe"}});
  auto next = f.say("cảm ơn");
  CHECK(next.outbox_rows == 0);
  CHECK(next.suppressed_replies == 1);
  CHECK(next.run.tags == std::vector<std::string>{"thanks"});  // handlers still tag
}

TEST_CASE("events that start no pipeline are marked processed and left alone") {
  Fixture f;
  auto outcome = f.deliver({{"id", "r1"}, {"type", "receipt"}, {"sender", {{"id", "u1"}}}});
  CHECK_FALSE(outcome.ran_pipeline);
  CHECK(f.store->unprocessed_events().empty());
}

TEST_CASE("processing the same event twice cannot commit twice") {
  Fixture f;
  store::InboundEvent parsed;
  std::string why;
  json event = {{"id", "m1"}, {"sender", {{"id", "u1"}}}, {"text", "hi"}};
  REQUIRE(processing::parse_inbound_event("web", event.dump(), 1, parsed, why));
  auto id = f.store->ingest({parsed})[0].event_id;
  f.processor().process(*f.runtime, {id, parsed});
  CHECK_THROWS(f.processor().process(*f.runtime, {id, parsed}));
}

TEST_CASE("channels must submit an id and a sender id") {
  store::InboundEvent parsed;
  std::string why;
  CHECK_FALSE(processing::parse_inbound_event("web", R"({"sender":{"id":"u"}})", 1, parsed, why));
  CHECK(why == "event needs a non-empty string \"id\"");
  CHECK_FALSE(processing::parse_inbound_event("web", R"({"id":"m"})", 1, parsed, why));
  CHECK(why == "event needs \"sender\": {\"id\": non-empty string}");
  CHECK(processing::parse_inbound_event("web", R"({"id":"m","sender":{"id":"u"}})", 7, parsed, why));
  CHECK(json::parse(parsed.payload_json)["type"] == "message");
  CHECK(parsed.received_at == 7);
  std::string typed = R"({"id":"m","type":"message","sender":{"id":"u"},"text":"đặt lịch"})";
  CHECK(processing::parse_inbound_event("web", typed, 7, parsed, why));
  CHECK(parsed.payload_json == typed);  // stored as the channel sent it
}

TEST_CASE("a contact update that is an interaction moves the window without running the pipeline") {
  Fixture f;
  f.deliver({{"id", "follow:u9:1"},
             {"type", "contact_update"},
             {"sender", {{"id", "u9"}, {"zalo_follower", true}}},
             {"interaction", true}});
  auto ctx = f.store->open_conversation("web", {{"id", "u9"}}, 0);
  CHECK(ctx.conversation.last_inbound_at > 1000);  // the event's receive time
  CHECK(f.store->unprocessed_events().empty());
  CHECK(f.store->claim_outbox(1'000'000'000'000'000, 10).empty());  // no bot reply to a follow

  auto info = f.deliver({{"id", "submit:u9"},
                         {"type", "contact_update"},
                         {"sender", {{"id", "u9"}, {"name", "Trần Bình"}, {"phone", "84912345678"}}},
                         {"interaction", true}});
  CHECK_FALSE(info.ran_pipeline);
  auto next = f.say("xin chào");  // u1, another contact: unaffected
  CHECK(next.outbox_rows == 1);
  auto contact = f.store->open_conversation("web", {{"id", "u9"}}, 0).contact;
  CHECK(contact.name == "Trần Bình");
  CHECK(contact.phone == "84912345678");
}

TEST_CASE("a follow runs the pipeline as a follow event and stores no customer message") {
  Fixture f;
  auto outcome = f.deliver({{"id", "follow:u9:1"},
                            {"type", "follow"},
                            {"sender", {{"id", "u9"}, {"zalo_follower", true}}},
                            {"interaction", true}});
  CHECK(outcome.ran_pipeline);
  CHECK(outcome.outbox_rows == 1);  // the fixture pipeline's reply step answers anything
  CHECK(f.store->unprocessed_events().empty());
  auto ctx = f.store->open_conversation("web", {{"id", "u9"}}, 0);
  CHECK(ctx.conversation.last_inbound_at > 1000);  // a follow opens the window like a message
  auto rows = f.store->claim_outbox(1'000'000'000'000'000, 10);
  REQUIRE(rows.size() == 1);
  CHECK(json::parse(rows[0].payload_json)["recipient"]["id"] == "u9");
  CHECK(json::parse(rows[0].payload_json)["conversation_id"] == std::to_string(ctx.conversation.id));
}

TEST_CASE("events with a thread get a conversation per thread; a named conversation is joined") {
  Fixture f;
  auto mail = [&](const std::string& id, const json& thread) {
    return f.deliver({{"id", id}, {"sender", {{"id", "an@example.test"}}}, {"text", id}, {"thread", thread}});
  };
  auto first = mail("m-1", {{"new", true}, {"key", "m-1"}});
  auto second = mail("m-2", {{"new", true}});  // no key: keyed by its own id
  auto rows = f.store->claim_outbox(1'000'000'000'000'000, 10);
  REQUIRE(rows.size() == 2);
  std::string one = json::parse(rows[0].payload_json)["conversation_id"];
  std::string two = json::parse(rows[1].payload_json)["conversation_id"];
  CHECK(one != two);
  for (const auto& row : rows) f.store->outbox_sent(row.id, "sent", 2'000);

  mail("m-3", {{"conversation_id", one}, {"matched_by", "in-reply-to"}});
  mail("m-4", {{"new", true}, {"key", "m-2"}});  // a follow-up to the customer's own mail m-2
  rows = f.store->claim_outbox(1'000'000'000'000'000, 10);
  REQUIRE(rows.size() == 2);
  CHECK(json::parse(rows[0].payload_json)["conversation_id"] == one);
  CHECK(json::parse(rows[1].payload_json)["conversation_id"] == two);

  // Another contact cannot join a conversation by naming it.
  f.deliver({{"id", "x-1"},
             {"sender", {{"id", "eve@example.test"}}},
             {"text", "hi"},
             {"thread", {{"conversation_id", one}}}});
  auto eve = f.store->open_conversation("web", {{"id", "eve@example.test"}}, 0, store::ThreadRef{"x-1", {}});
  CHECK(std::to_string(eve.conversation.id) != one);
  CHECK(eve.created == false);
}

TEST_CASE("a receipt is applied without running the pipeline") {
  Fixture f;
  CHECK(f.say("hỏi giá").outbox_rows == 1);
  auto rows = f.store->claim_outbox(1'000'000'000'000'000, 10);
  REQUIRE(rows.size() == 1);
  f.store->outbox_sent(rows[0].id, "zalo-msg-1", 5000);
  auto outcome = f.deliver({{"id", "user_seen_message:u1:1"},
                            {"type", "receipt"},
                            {"sender", {{"id", "u1"}}},
                            {"receipt", {{"status", "read"}, {"mids", {"zalo-msg-1"}}}}});
  CHECK_FALSE(outcome.ran_pipeline);
  CHECK(f.store->unprocessed_events().empty());
}

TEST_CASE("a contact update or receipt with fields of the wrong type is processed, not retried forever") {
  Fixture f;
  f.deliver({{"id", "odd-1"},
             {"type", "contact_update"},
             {"sender", {{"id", "u7"}, {"name", 42}}},
             {"interaction", "yes"},
             {"fill_only", 1}});
  f.deliver({{"id", "odd-2"}, {"type", "receipt"}, {"sender", {{"id", "u7"}}}, {"receipt", "read"}});
  f.deliver({{"id", "odd-3"}, {"type", "receipt"}, {"sender", {{"id", "u7"}}}, {"receipt", {{"status", 3}}}});
  CHECK(f.store->unprocessed_events().empty());
  auto ctx = f.store->open_conversation("web", {{"id", "u7"}}, 0);
  CHECK(ctx.conversation.last_inbound_at == 0);  // "yes" is not true: no interaction recorded
}
