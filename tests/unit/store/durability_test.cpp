// What is committed stays: across closing and reopening the file, and for a
// second store opened on it after the first is gone.
#include <doctest/doctest.h>

#include "store_test_support.hpp"

namespace switchboard::store::testing {

TEST_CASE("everything committed survives closing and reopening the store") {
  TempDir dir;
  Id event = 0;
  Id conversation = 0;
  Id reply = 0;
  Id pending = 0;
  {
    SqliteStore store(dir.db());
    Arrival arrival = arrive(store, "api", "m1", "u-1");
    event = arrival.event_id;
    conversation = arrival.context.conversation.id;
    RunCommit run = run_for(arrival);
    run.state_writes = {{"faq", "turn", "7"}};
    run.outbox = {{reply_payload("one"), "bot"}, {reply_payload("two"), "bot"}};
    std::vector<Id> ids = store.commit_run(run);
    reply = ids.at(0);
    store.claim_outbox(sqlite::system_clock_millis(), 10);  // "sending" when the process stops
    store.ingest({make_event("api", "m2", "u-1")});
    pending = ids.at(1);
  }
  {
    SqliteStore store(dir.db());
    CHECK(store.ingest({make_event("api", "m1", "u-1")}).at(0).duplicate);
    CHECK(store.ingest({make_event("api", "m1", "u-1")}).at(0).event_id == event);
    auto backlog = store.unprocessed_events();
    REQUIRE(backlog.size() == 1);
    CHECK(backlog[0].event.channel_message_id == "m2");
    CHECK(store.plugin_state(conversation, "faq", "turn") == "7");
    auto ctx = store.open_conversation("api", nlohmann::json{{"id", "u-1"}}, 2'000);
    CHECK(ctx.conversation.id == conversation);
    CHECK_FALSE(ctx.created);
    CHECK(store.requeue_interrupted_sends() == 1);
    auto claimed = store.claim_outbox(sqlite::system_clock_millis(), 10);
    REQUIRE(claimed.size() == 1);
    CHECK(claimed[0].id == reply);
    store.outbox_sent(reply, "", sqlite::system_clock_millis());
    CHECK(store.claim_outbox(sqlite::system_clock_millis(), 10).at(0).id == pending);
  }
}

TEST_CASE("a second store on the same file, after the first is destroyed, sees all its writes") {
  TempDir dir;
  auto first = open_sqlite_store(dir.db());
  for (int i = 0; i < 50; ++i) first->ingest({make_event("api", "m" + std::to_string(i))});
  first.reset();
  // Closed cleanly: the WAL was folded into the database file.
  std::filesystem::path wal = dir.db().string() + "-wal";
  CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));

  auto second = open_sqlite_store(dir.db());
  CHECK(second->unprocessed_events().size() == 50);
  CHECK(second->ingest({make_event("api", "m49")}).at(0).duplicate);
}

TEST_CASE("a write acknowledged by one store is visible to a reader elsewhere at once") {
  TempDir dir;
  SqliteStore store(dir.db());
  RawDb other(dir.db());
  for (int i = 0; i < 20; ++i) {
    store.ingest({make_event("api", "m" + std::to_string(i))});
    CHECK(other.integer("SELECT COUNT(*) FROM inbound_events") == i + 1);
    CHECK(store.unprocessed_events().size() == static_cast<std::size_t>(i + 1));
  }
  CHECK(store.reader_connections_opened() == 1);  // one reader, reused
}

}  // namespace switchboard::store::testing
