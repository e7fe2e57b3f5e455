// Contacts, identities and conversations: created once, reopened when
// resolved, profiles completed as senders tell us more.
#include <doctest/doctest.h>

#include "store_test_support.hpp"

namespace switchboard::store::testing {

using nlohmann::json;

TEST_CASE("a sender's first message creates contact, identity and a bot-controlled conversation") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto ctx = store.open_conversation("zalo", json{{"id", "z-1"}, {"name", "Lan"}, {"phone", "+84901234567"}}, 5'000);
  CHECK(ctx.created);
  CHECK_FALSE(ctx.reopened);
  CHECK(ctx.external_id == "z-1");
  CHECK(ctx.contact.id > 0);
  CHECK(ctx.contact.name == "Lan");
  CHECK(ctx.contact.phone == "+84901234567");
  CHECK(ctx.contact.email.empty());
  CHECK(ctx.conversation.id > 0);
  CHECK(ctx.conversation.contact_id == ctx.contact.id);
  CHECK(ctx.conversation.inbox == "zalo");
  CHECK(ctx.conversation.state == ConversationState::Bot);
  CHECK(ctx.conversation.controller == Controller::Bot);
  CHECK(ctx.conversation.priority == 1);
  CHECK(ctx.conversation.last_inbound_at == 5'000);

  RawDb raw(dir.db());
  CHECK(raw.text("SELECT state || '/' || controller FROM conversations") == "bot/bot");
  CHECK(raw.text("SELECT inbox || '/' || external_id FROM identities") == "zalo/z-1");
  CHECK(raw.text("SELECT json_extract(profile_json, '$.name') FROM identities") == "Lan");
}

TEST_CASE("opening the same sender's conversation again is idempotent") {
  TempDir dir;
  SqliteStore store(dir.db());
  json sender{{"id", "z-1"}, {"name", "Lan"}};
  auto first = store.open_conversation("zalo", sender, 5'000);
  auto second = store.open_conversation("zalo", sender, 5'000);
  auto third = store.open_conversation("zalo", sender, 6'000);
  CHECK_FALSE(second.created);
  CHECK_FALSE(second.reopened);
  CHECK(second.contact.id == first.contact.id);
  CHECK(second.conversation.id == first.conversation.id);
  CHECK(third.conversation.id == first.conversation.id);
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM contacts") == 1);
  CHECK(raw.integer("SELECT COUNT(*) FROM identities") == 1);
  CHECK(raw.integer("SELECT COUNT(*) FROM conversations") == 1);
}

TEST_CASE("last_inbound_at only moves forward") {
  TempDir dir;
  SqliteStore store(dir.db());
  store.open_conversation("zalo", json{{"id", "z-1"}}, 5'000);
  CHECK(store.open_conversation("zalo", json{{"id", "z-1"}}, 3'000).conversation.last_inbound_at == 5'000);
  CHECK(store.open_conversation("zalo", json{{"id", "z-1"}}, 9'000).conversation.last_inbound_at == 9'000);
}

TEST_CASE("a new message reopens a resolved conversation with the bot in control") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival arrival = arrive(store, "zalo", "m1", "z-1", 1'000);
  RunCommit run = run_for(arrival);
  run.change.state = ConversationState::Resolved;
  run.change.controller = Controller::Human;  // as if an agent had it until resolving
  store.commit_run(run);

  auto ctx = store.open_conversation("zalo", json{{"id", "z-1"}}, 2'000);
  CHECK(ctx.reopened);
  CHECK_FALSE(ctx.created);
  CHECK(ctx.conversation.id == arrival.context.conversation.id);
  CHECK(ctx.conversation.state == ConversationState::Bot);
  CHECK(ctx.conversation.controller == Controller::Bot);
  CHECK(ctx.conversation.last_inbound_at == 2'000);
  CHECK_FALSE(store.open_conversation("zalo", json{{"id", "z-1"}}, 2'000).reopened);
}

TEST_CASE("a queued conversation under human control stays so when the customer writes again") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival arrival = arrive(store, "zalo", "m1", "z-1");
  RunCommit run = run_for(arrival);
  run.change.state = ConversationState::Queued;
  run.change.controller = Controller::Human;
  run.change.queue = "reception";
  run.change.priority = 2;
  store.commit_run(run);

  auto ctx = store.open_conversation("zalo", json{{"id", "z-1"}}, 2'000);
  CHECK_FALSE(ctx.reopened);
  CHECK(ctx.conversation.state == ConversationState::Queued);
  CHECK(ctx.conversation.controller == Controller::Human);
  CHECK(ctx.conversation.queue == "reception");
  CHECK(ctx.conversation.priority == 2);
}

TEST_CASE("profile fields a contact lacks are filled from later senders; known ones are kept") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto first = store.open_conversation("zalo", json{{"id", "z-1"}}, 1'000);
  CHECK(first.contact.name.empty());

  auto second = store.open_conversation(
      "zalo", json{{"id", "z-1"}, {"name", "Lan"}, {"phone", "+84901234567"}, {"email", ""}}, 2'000);
  CHECK(second.contact.name == "Lan");
  CHECK(second.contact.phone == "+84901234567");
  CHECK(second.contact.email.empty());

  auto third = store.open_conversation(
      "zalo", json{{"id", "z-1"}, {"name", "Someone else"}, {"email", "lan@example.vn"}}, 3'000);
  CHECK(third.contact.name == "Lan");
  CHECK(third.contact.email == "lan@example.vn");
  CHECK(third.contact.id == first.contact.id);

  // A later event carrying only the id does not erase the stored profile.
  store.open_conversation("zalo", json{{"id", "z-1"}}, 4'000);
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT json_extract(profile_json, '$.name') FROM identities") == "Someone else");
  CHECK(raw.text("SELECT json_extract(profile_json, '$.phone') FROM identities") == "+84901234567");
}

TEST_CASE("the same external id on two inboxes is two identities with their own conversations") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto zalo = store.open_conversation("zalo", json{{"id", "42"}}, 1'000);
  auto web = store.open_conversation("web", json{{"id", "42"}}, 1'000);
  CHECK(zalo.conversation.id != web.conversation.id);
  CHECK(web.created);
  CHECK(web.conversation.inbox == "web");
}

TEST_CASE("a numeric sender id is kept as its text") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto ctx = store.open_conversation("zalo", json{{"id", 12345}}, 1'000);
  CHECK(ctx.external_id == "12345");
  CHECK(store.open_conversation("zalo", json{{"id", "12345"}}, 1'000).conversation.id == ctx.conversation.id);
}

TEST_CASE("a sender without an id is refused and nothing is created") {
  TempDir dir;
  SqliteStore store(dir.db());
  CHECK_THROWS_AS(store.open_conversation("zalo", json{{"name", "Lan"}}, 1'000), std::invalid_argument);
  CHECK_THROWS_AS(store.open_conversation("zalo", json(), 1'000), std::invalid_argument);
  CHECK_THROWS_AS(store.open_conversation("zalo", json{{"id", ""}}, 1'000), std::invalid_argument);
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM contacts") == 0);
}

}  // namespace switchboard::store::testing
