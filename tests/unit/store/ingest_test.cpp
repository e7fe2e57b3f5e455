// The inbound log: dedup forever, group commit under concurrency, and the
// unprocessed backlog that start-up recovery reads.
#include <doctest/doctest.h>

#include <future>
#include <set>

#include "store_test_support.hpp"

namespace switchboard::store::testing {

TEST_CASE("a new event is stored and reported as new") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto outcomes = store.ingest({make_event("zalo", "m1")});
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].event_id > 0);
  CHECK_FALSE(outcomes[0].duplicate);
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM inbound_events") == 1);
  CHECK(raw.text("SELECT sender_id FROM inbound_events") == "user-1");
  CHECK(raw.text("SELECT processed_at FROM inbound_events") == "NULL");
}

TEST_CASE("a redelivered event is a duplicate of the first and keeps the first payload") {
  TempDir dir;
  SqliteStore store(dir.db());
  Id first = store.ingest({make_event("zalo", "m1", "user-1", "first")}).at(0).event_id;
  auto again = store.ingest({make_event("zalo", "m1", "user-1", "second")});
  CHECK(again.at(0).duplicate);
  CHECK(again.at(0).event_id == first);
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM inbound_events") == 1);
  CHECK(raw.text("SELECT json_extract(payload_json, '$.text') FROM inbound_events") == "first");
}

TEST_CASE("duplicates within one batch are reported against the first of the batch") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto outcomes = store.ingest({make_event("zalo", "a", "u", "one"), make_event("zalo", "b"),
                                make_event("zalo", "a", "u", "two"), make_event("zalo", "a", "u", "three")});
  REQUIRE(outcomes.size() == 4);
  CHECK_FALSE(outcomes[0].duplicate);
  CHECK_FALSE(outcomes[1].duplicate);
  CHECK(outcomes[2].duplicate);
  CHECK(outcomes[3].duplicate);
  CHECK(outcomes[2].event_id == outcomes[0].event_id);
  CHECK(outcomes[3].event_id == outcomes[0].event_id);
  CHECK(outcomes[1].event_id != outcomes[0].event_id);
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT json_extract(payload_json, '$.text') FROM inbound_events WHERE channel_message_id = 'a'") ==
        "one");
}

TEST_CASE("the same channel message id in two inboxes is two events") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto outcomes = store.ingest({make_event("zalo", "m1"), make_event("messenger", "m1")});
  CHECK_FALSE(outcomes[0].duplicate);
  CHECK_FALSE(outcomes[1].duplicate);
  CHECK(outcomes[0].event_id != outcomes[1].event_id);
}

TEST_CASE("ingesting nothing writes nothing") {
  TempDir dir;
  SqliteStore store(dir.db());
  uint64_t before = store.commit_count();
  CHECK(store.ingest({}).empty());
  CHECK(store.commit_count() == before);
}

TEST_CASE("32 threads ingesting 100 events each store exactly 3200 events in far fewer commits") {
  TempDir dir;
  SqliteStore store(dir.db());
  constexpr int kThreads = 32;
  constexpr int kEvents = 100;
  uint64_t commits_before = store.commit_count();
  std::vector<std::vector<IngestOutcome>> outcomes(kThreads);
  std::vector<std::vector<IngestOutcome>> redelivered(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEvents; ++i) {
        std::string id = "t" + std::to_string(t) + "-m" + std::to_string(i);
        outcomes[t].push_back(store.ingest({make_event("api", id, "user-" + std::to_string(t))}).at(0));
      }
      // Every tenth event delivered again, as a platform retrying would.
      for (int i = 0; i < kEvents; i += 10) {
        std::string id = "t" + std::to_string(t) + "-m" + std::to_string(i);
        redelivered[t].push_back(store.ingest({make_event("api", id, "user-" + std::to_string(t), "retry")}).at(0));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  uint64_t commits = store.commit_count() - commits_before;
  uint64_t writes = kThreads * kEvents + kThreads * kEvents / 10;

  std::set<Id> ids;
  for (int t = 0; t < kThreads; ++t) {
    for (const IngestOutcome& outcome : outcomes[t]) {
      CHECK_FALSE(outcome.duplicate);
      ids.insert(outcome.event_id);
    }
    for (std::size_t r = 0; r < redelivered[t].size(); ++r) {
      CHECK(redelivered[t][r].duplicate);
      CHECK(redelivered[t][r].event_id == outcomes[t][r * 10].event_id);
    }
  }
  CHECK(ids.size() == kThreads * kEvents);
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM inbound_events") == kThreads * kEvents);
  CHECK(store.unprocessed_events().size() == kThreads * kEvents);
  MESSAGE(writes << " writes in " << commits << " commits");
  CHECK(store.committed_writes() >= writes);
  CHECK(commits * 4 < writes);  // group commit: on average well over four writes per fsync
}

TEST_CASE("a failing write in a batch does not lose the concurrent ingests committed with it") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival done = arrive(store, "api", "processed-before");
  store.commit_run(run_for(done));

  // Another process holds the write lock: the writer waits inside its first
  // batch while everything else queues up behind it.
  RawDb other(dir.db());
  other.exec("BEGIN IMMEDIATE");
  uint64_t commits_before = store.commit_count();
  std::thread first([&] { store.ingest({make_event("api", "first")}); });
  REQUIRE(eventually([&] { return store.write_queue_depth() == 0; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the writer is in BEGIN IMMEDIATE

  std::vector<std::future<IngestOutcome>> ingests;
  for (int i = 0; i < 16; ++i) {
    ingests.push_back(std::async(
        std::launch::async, [&, i] { return store.ingest({make_event("api", "queued-" + std::to_string(i))}).at(0); }));
  }
  auto again = std::async(std::launch::async, [&] { store.commit_run(run_for(done)); });
  REQUIRE(eventually([&] { return store.write_queue_depth() == 17; }));
  other.exec("COMMIT");

  first.join();
  CHECK_THROWS_AS(again.get(), EventAlreadyProcessed);
  for (auto& ingest : ingests) CHECK_FALSE(ingest.get().duplicate);
  CHECK(store.commit_count() - commits_before == 2);  // the first ingest, then the other 17 writes together
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM inbound_events") == 18);
  CHECK(raw.integer("SELECT COUNT(*) FROM messages") == 1);
  CHECK(raw.integer("SELECT COUNT(*) FROM decision_log") == 1);
}

TEST_CASE("unprocessed events come back oldest first and leave once processed") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival a = arrive(store, "api", "a", "user-1", 3'000);
  Arrival b = arrive(store, "api", "b", "user-2", 1'000);
  Arrival c = arrive(store, "api", "c", "user-1", 2'000);
  auto backlog = store.unprocessed_events();
  REQUIRE(backlog.size() == 3);
  // Arrival order is storage order (ids), whatever the clocks said.
  CHECK(backlog[0].id == a.event_id);
  CHECK(backlog[1].id == b.event_id);
  CHECK(backlog[2].id == c.event_id);
  CHECK(backlog[0].event.channel_message_id == "a");
  CHECK(backlog[1].event.sender_id == "user-2");
  CHECK(backlog[1].event.received_at == 1'000);
  CHECK(backlog[2].event.payload_json.find("\"id\":\"c\"") != std::string::npos);

  store.commit_run(run_for(b));
  store.mark_processed(a.event_id, R"({"skipped":"test"})");
  backlog = store.unprocessed_events();
  REQUIRE(backlog.size() == 1);
  CHECK(backlog[0].id == c.event_id);
}

TEST_CASE("the backlog can be read in pages after a given event id") {
  TempDir dir;
  SqliteStore store(dir.db());
  std::vector<Id> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(arrive(store, "api", "m" + std::to_string(i)).event_id);
  store.mark_processed(ids[1], "{}");

  auto page = store.unprocessed_events_after(0, 2);
  REQUIRE(page.size() == 2);
  CHECK(page[0].id == ids[0]);
  CHECK(page[1].id == ids[2]);  // the processed one is skipped
  page = store.unprocessed_events_after(page.back().id, 10);
  REQUIRE(page.size() == 2);
  CHECK(page[0].id == ids[3]);
  CHECK(page[1].id == ids[4]);
  CHECK(page[1].event.channel_message_id == "m4");
  CHECK(store.unprocessed_events_after(ids[4], 10).empty());
  CHECK(store.unprocessed_events_after(0, 0).empty());
}

}  // namespace switchboard::store::testing
