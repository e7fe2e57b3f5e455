// The outbox: head-of-line per conversation, retries that hold the line,
// final states that release it, attempts, and start-up recovery.
#include <doctest/doctest.h>

#include "store_test_support.hpp"

namespace switchboard::store::testing {

namespace {

constexpr Millis kNow = 1'000'000;  // ManualClock's start: when replies are queued

// Queues `texts` as replies of one run on `sender`'s conversation.
std::vector<Id> queue_replies(Store& store, const std::string& sender, const std::string& message_id,
                              const std::vector<std::string>& texts) {
  Arrival arrival = arrive(store, "api", message_id, sender);
  RunCommit run = run_for(arrival);
  for (const std::string& text : texts) run.outbox.push_back({reply_payload(text), "bot"});
  return store.commit_run(run);
}

std::vector<Id> ids_of(const std::vector<OutboxRow>& rows) {
  std::vector<Id> ids;
  for (const OutboxRow& row : rows) ids.push_back(row.id);
  return ids;
}

struct OutboxFixture {
  TempDir dir;
  ManualClock clock;
  SqliteStore store{dir.db(), {clock.function()}};
  std::vector<Id> a;  // conversation A's replies, oldest first
  std::vector<Id> b;  // conversation B's

  OutboxFixture() {
    a = queue_replies(store, "alice", "a-1", {"a1", "a2"});
    b = queue_replies(store, "bob", "b-1", {"b1", "b2"});
    std::vector<Id> more = queue_replies(store, "alice", "a-2", {"a3"});
    a.push_back(more.at(0));
  }
  std::string status(Id id) {
    return RawDb(dir.db()).text("SELECT status FROM outbox WHERE id = " + std::to_string(id));
  }
  std::string message_status(Id id) {
    return RawDb(dir.db()).text("SELECT status FROM messages WHERE outbox_id = " + std::to_string(id));
  }
};

}  // namespace

TEST_CASE_FIXTURE(OutboxFixture, "each conversation sends its oldest reply first, one at a time") {
  std::vector<OutboxRow> claimed = store.claim_outbox(kNow, 10);
  CHECK(ids_of(claimed) == std::vector<Id>{a[0], b[0]});
  CHECK(claimed[0].conversation_id != claimed[1].conversation_id);
  CHECK(claimed[0].inbox == "api");
  CHECK(claimed[0].payload_json == reply_payload("a1"));
  CHECK(claimed[0].created_at == kNow);
  CHECK(status(a[0]) == "sending");
  CHECK(store.claim_outbox(kNow, 10).empty());  // both heads are in flight

  store.outbox_sent(a[0], "zalo-msg-1", kNow + 1);
  CHECK(ids_of(store.claim_outbox(kNow, 10)) == std::vector<Id>{a[1]});
  store.outbox_sent(b[0], "", kNow + 1);
  store.outbox_sent(a[1], "", kNow + 1);
  CHECK(ids_of(store.claim_outbox(kNow, 10)) == std::vector<Id>{b[1], a[2]});
}

TEST_CASE_FIXTURE(OutboxFixture, "a claim takes at most the limit, oldest heads first") {
  CHECK(ids_of(store.claim_outbox(kNow, 1)) == std::vector<Id>{a[0]});
  CHECK(ids_of(store.claim_outbox(kNow, 1)) == std::vector<Id>{b[0]});
  CHECK(store.claim_outbox(kNow, 0).empty());
}

TEST_CASE_FIXTURE(OutboxFixture, "replies are not claimed before they are due") {
  CHECK(store.claim_outbox(kNow - 1, 10).empty());
}

TEST_CASE_FIXTURE(OutboxFixture, "a retrying head holds back the replies behind it until it is sent") {
  store.claim_outbox(kNow, 10);
  store.outbox_retry(a[0], kNow + 5'000, "HTTP 503");
  CHECK(status(a[0]) == "retrying");
  store.outbox_sent(b[0], "", kNow);

  // Conversation B moves on; A waits for its head, not for a[1].
  CHECK(ids_of(store.claim_outbox(kNow + 4'999, 10)) == std::vector<Id>{b[1]});
  std::vector<OutboxRow> retried = store.claim_outbox(kNow + 5'000, 10);
  REQUIRE(ids_of(retried) == std::vector<Id>{a[0]});
  CHECK(retried[0].attempts == 1);
  CHECK(RawDb(dir.db()).text("SELECT last_error FROM outbox WHERE id = " + std::to_string(a[0])) == "HTTP 503");

  store.outbox_sent(a[0], "", kNow + 5'001);
  CHECK(ids_of(store.claim_outbox(kNow + 5'001, 10)) == std::vector<Id>{a[1]});
}

TEST_CASE_FIXTURE(OutboxFixture, "claiming counts attempts: a row carries the sends tried before it") {
  CHECK(store.claim_outbox(kNow, 1).at(0).attempts == 0);
  store.outbox_retry(a[0], kNow, "timeout");
  CHECK(store.claim_outbox(kNow, 1).at(0).attempts == 1);
  store.outbox_retry(a[0], kNow, "timeout");
  CHECK(store.claim_outbox(kNow, 1).at(0).attempts == 2);
  CHECK(RawDb(dir.db()).integer("SELECT attempts FROM outbox WHERE id = " + std::to_string(a[0])) == 3);
}

TEST_CASE_FIXTURE(OutboxFixture, "a dead head is a dead letter with the platform's reason, and the next reply goes") {
  store.claim_outbox(kNow, 10);
  store.outbox_dead(a[0], "400", "recipient not found", kNow + 10);
  CHECK(status(a[0]) == "dead");
  CHECK(message_status(a[0]) == "dead");
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT id || '/' || error_code || '/' || last_error || '/' || attempts || '/' || updated_at "
                 "FROM dead_letters") ==
        std::to_string(a[0]) + "/400/recipient not found/1/" + std::to_string(kNow + 10));
  CHECK(ids_of(store.claim_outbox(kNow, 10)) == std::vector<Id>{a[1]});
}

TEST_CASE_FIXTURE(OutboxFixture, "a blocked head is final with its reason, and the next reply goes") {
  store.claim_outbox(kNow, 10);
  store.outbox_blocked(a[0], "window_closed", "48 h since the user's last message", kNow);
  CHECK(status(a[0]) == "blocked");
  CHECK(message_status(a[0]) == "blocked");
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM dead_letters") == 0);
  CHECK(ids_of(store.claim_outbox(kNow, 10)) == std::vector<Id>{a[1]});
}

TEST_CASE_FIXTURE(OutboxFixture, "a sent reply records the platform's id and marks its message sent") {
  store.claim_outbox(kNow, 10);
  store.outbox_sent(a[0], "mid.123", kNow + 7);
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT status || '/' || platform_message_id || '/' || sent_at FROM outbox WHERE id = " +
                 std::to_string(a[0])) == "sent/mid.123/" + std::to_string(kNow + 7));
  CHECK(message_status(a[0]) == "sent");
  CHECK(message_status(a[1]) == "queued");
}

TEST_CASE_FIXTURE(OutboxFixture, "a result for a final or unknown row is refused") {
  store.claim_outbox(kNow, 10);
  store.outbox_sent(a[0], "", kNow);
  CHECK(error_of([&] { store.outbox_sent(a[0], "", kNow); }).find("already sent") != std::string::npos);
  CHECK_THROWS_AS(store.outbox_retry(a[0], kNow, "late"), std::runtime_error);
  CHECK_THROWS_AS(store.outbox_dead(a[0], "x", "y", kNow), std::runtime_error);
  CHECK_THROWS_AS(store.outbox_blocked(9'999, "x", "y", kNow), std::invalid_argument);
  CHECK(status(a[0]) == "sent");
}

TEST_CASE_FIXTURE(OutboxFixture, "sends interrupted by a crash go back to pending and are claimed again") {
  std::vector<OutboxRow> before = store.claim_outbox(kNow, 10);
  CHECK(store.requeue_interrupted_sends() == 2);
  CHECK(status(a[0]) == "pending");
  std::vector<OutboxRow> after = store.claim_outbox(kNow, 10);
  CHECK(ids_of(after) == ids_of(before));
  CHECK(after[0].attempts == 1);  // the interrupted send may have reached the platform
  CHECK(store.requeue_interrupted_sends() == 2);
  CHECK(store.requeue_interrupted_sends() == 0);
}

TEST_CASE_FIXTURE(OutboxFixture, "next_outbox_due is the earliest time a head becomes due") {
  CHECK(store.next_outbox_due() == kNow);
  store.claim_outbox(kNow, 10);
  CHECK_FALSE(store.next_outbox_due());  // every head in flight: nothing waits
  store.outbox_retry(a[0], kNow + 9'000, "429");
  store.outbox_retry(b[0], kNow + 3'000, "429");
  CHECK(store.next_outbox_due() == kNow + 3'000);
  store.claim_outbox(kNow + 3'000, 10);
  store.outbox_sent(b[0], "", kNow + 3'000);
  // b[1] was queued at kNow and is now B's head; A's head waits until +9 s.
  CHECK(store.next_outbox_due() == kNow);
}

TEST_CASE("an empty outbox has nothing due and no depth") {
  TempDir dir;
  SqliteStore store(dir.db());
  CHECK_FALSE(store.next_outbox_due());
  CHECK(store.outbox_depth() == 0);
  CHECK(store.claim_outbox(0, 10).empty());
  CHECK(store.requeue_interrupted_sends() == 0);
}

TEST_CASE_FIXTURE(OutboxFixture, "outbox depth counts the replies waiting to be sent") {
  CHECK(store.outbox_depth() == 5);
  store.claim_outbox(kNow, 10);
  CHECK(store.outbox_depth() == 3);  // two in flight
  store.outbox_retry(a[0], kNow + 1, "503");
  CHECK(store.outbox_depth() == 4);
  store.outbox_dead(a[0], "400", "bad", kNow);
  store.outbox_sent(b[0], "", kNow);
  CHECK(store.outbox_depth() == 3);
}

}  // namespace switchboard::store::testing
