// peek_conversation + RunCommit::open: a run decided on a read-only view of
// its conversation opens it inside its own commit, so processing one message
// costs one write transaction, and the open lands with the run or not at all.
#include <doctest/doctest.h>

#include "store_test_support.hpp"

namespace switchboard::store::testing {

namespace {

using nlohmann::json;

void check_same_context(const ConversationContext& peeked, const ConversationContext& opened) {
  CHECK(peeked.external_id == opened.external_id);
  CHECK(peeked.contact.id == opened.contact.id);
  CHECK(peeked.contact.name == opened.contact.name);
  CHECK(peeked.contact.phone == opened.contact.phone);
  CHECK(peeked.contact.email == opened.contact.email);
  CHECK(peeked.conversation.id == opened.conversation.id);
  CHECK(peeked.conversation.state == opened.conversation.state);
  CHECK(peeked.conversation.controller == opened.conversation.controller);
  CHECK(peeked.conversation.last_inbound_at == opened.conversation.last_inbound_at);
  CHECK(peeked.created == opened.created);
  CHECK(peeked.reopened == opened.reopened);
}

}  // namespace

TEST_CASE("peek_conversation says nothing for a sender it has not seen, and writes nothing") {
  TempDir dir;
  SqliteStore store(dir.db());
  uint64_t commits = store.commit_count();
  CHECK_FALSE(store.peek_conversation("zalo", json{{"id", "z-1"}}, 1'000).has_value());
  CHECK(store.commit_count() == commits);
  CHECK_THROWS_AS(store.peek_conversation("zalo", json{{"name", "no id"}}, 1'000), std::invalid_argument);
}

TEST_CASE("peek_conversation shows what open_conversation then returns: profile fill, later inbound time") {
  TempDir dir;
  SqliteStore store(dir.db());
  store.open_conversation("zalo", json{{"id", "z-1"}}, 1'000);
  json sender = {{"id", "z-1"}, {"name", "Lan"}, {"phone", "+84901234567"}};
  auto peeked = store.peek_conversation("zalo", sender, 2'000);
  REQUIRE(peeked.has_value());
  CHECK(peeked->contact.name == "Lan");
  CHECK(peeked->conversation.last_inbound_at == 2'000);
  check_same_context(*peeked, store.open_conversation("zalo", sender, 2'000));

  // An older message does not move the inbound time back.
  auto older = store.peek_conversation("zalo", sender, 1'500);
  REQUIRE(older.has_value());
  CHECK(older->conversation.last_inbound_at == 2'000);
  check_same_context(*older, store.open_conversation("zalo", sender, 1'500));
}

TEST_CASE("peek_conversation shows a resolved conversation reopened to the bot") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival arrival = arrive(store, "zalo", "m1", "z-1", 1'000);
  RunCommit resolve = run_for(arrival);
  resolve.change.state = ConversationState::Resolved;
  resolve.change.controller = Controller::Human;
  store.commit_run(resolve);

  auto peeked = store.peek_conversation("zalo", json{{"id", "z-1"}}, 3'000);
  REQUIRE(peeked.has_value());
  CHECK(peeked->reopened);
  CHECK(peeked->conversation.state == ConversationState::Bot);
  CHECK(peeked->conversation.controller == Controller::Bot);
  check_same_context(*peeked, store.open_conversation("zalo", json{{"id", "z-1"}}, 3'000));
}

TEST_CASE("a run with open set opens its conversation and commits in one transaction") {
  TempDir dir;
  SqliteStore store(dir.db());
  arrive(store, "zalo", "m1", "z-1", 1'000);
  Id event = store.ingest({make_event("zalo", "m2", "z-1", "hi again", 5'000)}).at(0).event_id;
  json sender = {{"id", "z-1"}, {"name", "Lan"}};
  auto peeked = store.peek_conversation("zalo", sender, 5'000);
  REQUIRE(peeked.has_value());

  RunCommit run;
  run.event_id = event;
  run.conversation_id = peeked->conversation.id;
  run.open = ConversationOpen{"zalo", sender, 5'000, {}};
  run.text = "hi again";
  run.outbox = {{R"({"text":"Chào Lan"})", "bot"}};
  uint64_t commits = store.commit_count();
  CHECK(store.commit_run(run).size() == 1);
  CHECK(store.commit_count() == commits + 1);

  RawDb raw(dir.db());
  std::string conversation = std::to_string(peeked->conversation.id);
  CHECK(raw.text("SELECT last_inbound_at FROM conversations WHERE id = " + conversation) == "5000");
  CHECK(raw.text("SELECT name FROM contacts WHERE id = " + std::to_string(peeked->contact.id)) == "Lan");
  CHECK(raw.text("SELECT processed_at IS NOT NULL FROM inbound_events WHERE id = " + std::to_string(event)) == "1");
  CHECK(raw.text("SELECT COUNT(*) FROM outbox") == "1");
}

TEST_CASE("a run whose open yields another conversation writes nothing, the open included") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival other = arrive(store, "zalo", "m0", "z-9", 1'000);
  arrive(store, "zalo", "m1", "z-1", 1'000);
  Id event = store.ingest({make_event("zalo", "m2", "z-1", "hi", 5'000)}).at(0).event_id;

  RunCommit run;
  run.event_id = event;
  run.conversation_id = other.context.conversation.id;  // not z-1's conversation
  run.open = ConversationOpen{"zalo", json{{"id", "z-1"}, {"name", "Lan"}}, 5'000, {}};
  run.text = "hi";
  CHECK(error_of([&] { store.commit_run(run); }).find("conversation changed") != std::string::npos);

  RawDb raw(dir.db());
  CHECK(raw.text("SELECT MAX(last_inbound_at) FROM conversations") == "1000");
  CHECK(raw.text("SELECT COUNT(*) FROM contacts WHERE name = 'Lan'") == "0");
  CHECK(raw.text("SELECT processed_at IS NULL FROM inbound_events WHERE id = " + std::to_string(event)) == "1");
}

}  // namespace switchboard::store::testing
