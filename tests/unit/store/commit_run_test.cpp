// One run, one transaction: everything a pipeline run decided lands together
// with the processed mark, or none of it does, and never twice.
#include <doctest/doctest.h>

#include "store_test_support.hpp"

namespace switchboard::store::testing {

namespace {

// Rows a run writes, as one comparable line.
std::string footprint(RawDb& raw) {
  return raw.text(
      "SELECT (SELECT COUNT(*) FROM messages) || ' messages, ' || (SELECT COUNT(*) FROM tags) || ' tags, ' || "
      "(SELECT COUNT(*) FROM attributes) || ' attributes, ' || (SELECT COUNT(*) FROM plugin_state) || ' state, ' || "
      "(SELECT COUNT(*) FROM outbox) || ' outbox, ' || (SELECT COUNT(*) FROM decision_log) || ' decisions, ' || "
      "(SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NOT NULL) || ' processed'");
}

RunCommit full_run(const Arrival& arrival) {
  RunCommit run = run_for(arrival);
  run.text = "đặt lịch khám";
  run.attachments_json = R"([{"type":"image","url":"https://x/1.png"}])";
  run.tags = {"booking", "vip"};
  run.attributes = {{"intent", {{"name", "booking"}, {"score", 0.9}}}, {"lang", "vi"}};
  run.state_writes = {{"faq", "last", R"({"q":1})"}, {"greeting", "sent", "true"}};
  run.change.state = ConversationState::Queued;
  run.change.controller = Controller::Human;
  run.change.queue = "reception";
  run.change.priority = 3;
  run.outbox = {{R"({"text":"Dạ, em chuyển nhân viên ạ"})", "bot"},
                {R"({"text":"Vị trí của bạn: 2","attachments":[{"type":"file"}]})", "bot"}};
  run.decision_json = R"({"decided_by":2})";
  return run;
}

}  // namespace

TEST_CASE("a run commits its message, tags, attributes, state, change, replies, decision and processed mark") {
  TempDir dir;
  ManualClock clock;
  SqliteStore store(dir.db(), {clock.function()});
  Arrival arrival = arrive(store, "zalo", "m1", "z-1", 500);
  std::vector<Id> outbox_ids = store.commit_run(full_run(arrival));
  REQUIRE(outbox_ids.size() == 2);
  CHECK(outbox_ids[0] < outbox_ids[1]);

  RawDb raw(dir.db());
  CHECK(footprint(raw) == "3 messages, 2 tags, 2 attributes, 2 state, 2 outbox, 1 decisions, 1 processed");
  std::string event = std::to_string(arrival.event_id);
  std::string conversation = std::to_string(arrival.context.conversation.id);
  CHECK(raw.text("SELECT direction || '/' || author || '/' || status || '/' || text || '/' || created_at "
                 "FROM messages WHERE event_id = " +
                 event) == "in/customer/received/đặt lịch khám/500");
  CHECK(raw.text("SELECT json_extract(attachments_json, '$[0].type') FROM messages WHERE event_id = " + event) ==
        "image");
  CHECK(raw.column("SELECT tag FROM tags ORDER BY tag") == std::vector<std::string>{"booking", "vip"});
  CHECK(raw.text("SELECT json_extract(value_json, '$.name') FROM attributes WHERE key = 'intent'") == "booking");
  CHECK(raw.text("SELECT value_json FROM attributes WHERE key = 'lang'") == "\"vi\"");
  CHECK(store.plugin_state(arrival.context.conversation.id, "faq", "last") == R"({"q":1})");
  CHECK(store.plugin_state(arrival.context.conversation.id, "greeting", "sent") == "true");
  CHECK_FALSE(store.plugin_state(arrival.context.conversation.id, "faq", "other"));
  CHECK(raw.text("SELECT state || '/' || controller || '/' || queue || '/' || priority FROM conversations") ==
        "queued/human/reception/3");
  CHECK(raw.column("SELECT status || '/' || inbox || '/' || attempts || '/' || next_attempt_at FROM outbox "
                   "ORDER BY id") == std::vector<std::string>{"pending/zalo/0/1000000", "pending/zalo/0/1000000"});
  CHECK(raw.column("SELECT direction || '/' || author || '/' || status || '/' || text FROM messages "
                   "WHERE outbox_id IS NOT NULL ORDER BY outbox_id") ==
        std::vector<std::string>{"out/bot/queued/Dạ, em chuyển nhân viên ạ", "out/bot/queued/Vị trí của bạn: 2"});
  CHECK(raw.text("SELECT json_extract(attachments_json, '$[0].type') FROM messages WHERE outbox_id = " +
                 std::to_string(outbox_ids[1])) == "file");
  CHECK(raw.text("SELECT decision_json || '/' || conversation_id FROM decision_log WHERE event_id = " + event) ==
        R"({"decided_by":2}/)" + conversation);
  CHECK(raw.text("SELECT processed_at || '/' || conversation_id FROM inbound_events WHERE id = " + event) ==
        "1000000/" + conversation);
  CHECK(store.unprocessed_events().empty());
}

TEST_CASE("a run that fails midway leaves nothing behind, and the event can be processed again") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival arrival = arrive(store, "zalo", "m1", "z-1");
  RawDb raw(dir.db());
  std::string before = footprint(raw);

  // Tags, attributes, state and the change are written before the second
  // reply, whose author the schema rejects: the whole run must roll back.
  RunCommit broken = full_run(arrival);
  broken.outbox[1].author = "robot";
  CHECK_THROWS_AS(store.commit_run(broken), std::exception);
  CHECK(footprint(raw) == before);
  CHECK(raw.text("SELECT state || '/' || controller || '/' || COALESCE(queue, '-') FROM conversations") == "bot/bot/-");

  RunCommit bad_payload = full_run(arrival);
  bad_payload.outbox[1].payload_json = "not json";
  CHECK_THROWS_AS(store.commit_run(bad_payload), std::invalid_argument);
  CHECK(footprint(raw) == before);

  REQUIRE(store.unprocessed_events().size() == 1);
  CHECK(store.commit_run(full_run(arrival)).size() == 2);
  CHECK(footprint(raw) == "3 messages, 2 tags, 2 attributes, 2 state, 2 outbox, 1 decisions, 1 processed");
}

TEST_CASE("a run for an unknown conversation is refused and marks nothing processed") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival arrival = arrive(store, "zalo", "m1");
  RunCommit run = full_run(arrival);
  run.conversation_id = 999;
  CHECK_THROWS_AS(store.commit_run(run), std::invalid_argument);
  RawDb raw(dir.db());
  CHECK(footprint(raw) == "0 messages, 0 tags, 0 attributes, 0 state, 0 outbox, 0 decisions, 0 processed");
}

TEST_CASE("a second commit for the same event is refused and writes nothing") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival arrival = arrive(store, "zalo", "m1");
  store.commit_run(full_run(arrival));
  RawDb raw(dir.db());
  std::string after_first = footprint(raw);
  RunCommit again = full_run(arrival);
  again.tags = {"another"};
  CHECK_THROWS_AS(store.commit_run(again), EventAlreadyProcessed);
  CHECK_THROWS_AS(store.mark_processed(arrival.event_id, "{}"), EventAlreadyProcessed);
  CHECK(footprint(raw) == after_first);
}

TEST_CASE("mark_processed records a note and takes the event out of the backlog") {
  TempDir dir;
  SqliteStore store(dir.db());
  Id event = store.ingest({make_event("zalo", "follow-1")}).at(0).event_id;
  store.mark_processed(event, R"({"skipped":"event type 'follow' starts no pipeline"})");
  CHECK(store.unprocessed_events().empty());
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT json_extract(decision_json, '$.skipped') FROM decision_log WHERE event_id = " +
                 std::to_string(event)) == "event type 'follow' starts no pipeline");
  CHECK(raw.integer("SELECT COUNT(*) FROM messages") == 0);
  CHECK_THROWS_AS(store.mark_processed(event, "{}"), EventAlreadyProcessed);
  CHECK_THROWS_AS(store.mark_processed(4242, "{}"), std::invalid_argument);
}

TEST_CASE("tags are kept once across runs; attributes and plugin state are replaced per key") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival first = arrive(store, "zalo", "m1");
  RunCommit one = run_for(first);
  one.tags = {"booking"};
  one.attributes = {{"lang", "vi"}, {"intent", "booking"}};
  one.state_writes = {{"faq", "turn", "1"}};
  store.commit_run(one);

  Arrival second = arrive(store, "zalo", "m2");
  RunCommit two = run_for(second);
  two.tags = {"booking", "booking", "price"};
  two.attributes = {{"intent", "price"}};
  two.state_writes = {{"faq", "turn", "2"}};
  store.commit_run(two);

  RawDb raw(dir.db());
  CHECK(raw.column("SELECT tag FROM tags ORDER BY tag") == std::vector<std::string>{"booking", "price"});
  CHECK(raw.column("SELECT key || '=' || value_json FROM attributes ORDER BY key") ==
        std::vector<std::string>{"intent=\"price\"", "lang=\"vi\""});
  CHECK(store.plugin_state(first.context.conversation.id, "faq", "turn") == "2");
}

TEST_CASE("a change sets only the fields it carries, and an empty queue clears the queue") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival first = arrive(store, "zalo", "m1");
  RunCommit queue = run_for(first);
  queue.change.queue = "tech";
  queue.change.priority = 2;
  store.commit_run(queue);
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT state || '/' || controller || '/' || queue || '/' || priority FROM conversations") ==
        "bot/bot/tech/2");

  Arrival second = arrive(store, "zalo", "m2");
  RunCommit clear = run_for(second);
  clear.change.queue = "";
  clear.change.controller = Controller::Human;
  store.commit_run(clear);
  CHECK(raw.text("SELECT state || '/' || controller || '/' || COALESCE(queue, '-') || '/' || priority "
                 "FROM conversations") == "bot/human/-/2");
}

TEST_CASE("an agent's echo is stored as an inbound message by the agent") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival arrival = arrive(store, "zalo", "echo-1");
  RunCommit run = run_for(arrival);
  run.author = "agent";
  run.change.controller = Controller::Human;
  store.commit_run(run);
  CHECK(RawDb(dir.db()).text("SELECT direction || '/' || author FROM messages") == "in/agent");
}

}  // namespace switchboard::store::testing
