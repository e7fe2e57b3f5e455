// Contact updates and receipts (schema v3) against a real SQLite file: what
// they change, what they leave alone, and that they commit with the event's
// processed mark.
#include <doctest/doctest.h>

#include "store_test_support.hpp"

using namespace switchboard::store;
using namespace switchboard::store::testing;
using nlohmann::json;

namespace {

Id ingest_event(Store& store, const std::string& id, const std::string& sender, Millis at) {
  InboundEvent e = make_event("zalo", id, sender, "", at);
  return store.ingest({e}).at(0).event_id;
}

ContactUpdate update_for(Id event_id, const json& sender, Millis interaction_at = 0) {
  ContactUpdate u;
  u.event_id = event_id;
  u.inbox = "zalo";
  u.sender = sender;
  u.interaction_at = interaction_at;
  u.decision_json = R"({"decided":"contact updated"})";
  return u;
}

}  // namespace

TEST_CASE("a follow creates the contact and a conversation whose window starts at the follow") {
  TempDir dir;
  auto store = open_sqlite_store(dir.db());
  Id event = ingest_event(*store, "follow:u1:1", "u1", 5'000);
  store->apply_contact_update(update_for(event, {{"id", "u1"}, {"zalo_follower", true}}, 5'000));
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT last_inbound_at FROM conversations") == 5'000);
  CHECK(raw.text("SELECT state || controller FROM conversations") == "botbot");
  CHECK(json::parse(raw.text("SELECT profile_json FROM identities"))["zalo_follower"] == true);
  CHECK(raw.integer("SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NOT NULL") == 1);
  CHECK(raw.integer("SELECT COUNT(*) FROM messages") == 0);  // not a message
  CHECK(error_of([&] {
          store->apply_contact_update(update_for(event, {{"id", "u1"}}, 6'000));
        }).find("already") != std::string::npos);
}

TEST_CASE("an interaction moves last_inbound_at forward without reopening a resolved conversation") {
  TempDir dir;
  auto store = open_sqlite_store(dir.db());
  Arrival a = arrive(*store, "zalo", "m1", "u1", 1'000);
  RunCommit run = run_for(a);
  run.change.state = ConversationState::Resolved;
  store->commit_run(run);
  Id chat = ingest_event(*store, "chatnow:u1", "u1", 9'000);
  store->apply_contact_update(update_for(chat, {{"id", "u1"}}, 9'000));
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT last_inbound_at FROM conversations") == 9'000);
  CHECK(raw.text("SELECT state FROM conversations") == "resolved");
  CHECK(raw.integer("SELECT COUNT(*) FROM conversations") == 1);
  // An update without interaction (unfollow, profile) leaves the window alone.
  Id unfollow = ingest_event(*store, "unfollow:u1", "u1", 20'000);
  store->apply_contact_update(update_for(unfollow, {{"id", "u1"}, {"zalo_follower", false}}));
  CHECK(raw.integer("SELECT last_inbound_at FROM conversations") == 9'000);
  CHECK(json::parse(raw.text("SELECT profile_json FROM identities"))["zalo_follower"] == false);
}

TEST_CASE("submitted info overwrites name and phone; a fetched profile only fills what is empty") {
  TempDir dir;
  auto store = open_sqlite_store(dir.db());
  Id profile = ingest_event(*store, "profile:u1", "u1", 1'000);
  ContactUpdate fetched = update_for(profile, {{"id", "u1"}, {"name", "Lan Zalo"}, {"avatar", "https://a/x.jpg"}});
  fetched.fill_only = true;
  store->apply_contact_update(fetched);
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT name FROM contacts") == "Lan Zalo");
  CHECK(json::parse(raw.text("SELECT profile_json FROM identities"))["avatar"] == "https://a/x.jpg");

  Id info = ingest_event(*store, "submit:u1", "u1", 2'000);
  store->apply_contact_update(
      update_for(info, {{"id", "u1"}, {"name", "Trần Thị Lan"}, {"phone", "84912345678"}}, 2'000));
  CHECK(raw.text("SELECT name FROM contacts") == "Trần Thị Lan");
  CHECK(raw.text("SELECT phone FROM contacts") == "84912345678");

  Id later = ingest_event(*store, "profile2:u1", "u1", 3'000);
  ContactUpdate refetched = update_for(later, {{"id", "u1"}, {"name", "Lan Zalo"}});
  refetched.fill_only = true;
  store->apply_contact_update(refetched);
  CHECK(raw.text("SELECT name FROM contacts") == "Trần Thị Lan");
  CHECK(raw.integer("SELECT COUNT(*) FROM contacts") == 1);
}

TEST_CASE("receipts mark sent messages delivered, then read, found by platform id or by watermark") {
  TempDir dir;
  auto store = open_sqlite_store(dir.db());
  Arrival a = arrive(*store, "zalo", "m1", "u1", 1'000);
  RunCommit run = run_for(a);
  run.outbox = {{reply_payload("một"), "bot"}, {reply_payload("hai"), "bot"}};
  auto ids = store->commit_run(run);
  store->outbox_sent(ids[0], "msg-1", 2'000);
  store->outbox_sent(ids[1], "msg-2", 2'000);
  RawDb raw(dir.db());

  auto receipt = [&](const std::string& id, const std::string& status, std::vector<std::string> mids, Millis wm) {
    Receipt r;
    r.event_id = ingest_event(*store, id, "u1", 3'000);
    r.inbox = "zalo";
    r.sender_id = "u1";
    r.status = status;
    r.platform_message_ids = std::move(mids);
    r.watermark = wm;
    return store->apply_receipt(r);
  };
  CHECK(receipt("r1", "read", {"msg-1"}, 0) == 1);
  CHECK(receipt("r2", "delivered", {"msg-1", "msg-2"}, 0) == 1);  // msg-1 stays read
  CHECK(raw.text("SELECT group_concat(delivery, ',') FROM (SELECT delivery FROM messages WHERE direction = 'out' "
                 "ORDER BY id)") == "read,delivered");
  CHECK(receipt("r3", "read", {}, now_ms() + 60'000) == 1);  // watermark: everything sent so far
  CHECK(raw.integer("SELECT COUNT(*) FROM messages WHERE delivery = 'read'") == 2);
  CHECK(receipt("r4", "read", {"unknown"}, 0) == 0);
  CHECK(raw.integer("SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NULL") == 0);
}

TEST_CASE("a decision note can be recorded for a conversation outside any event") {
  TempDir dir;
  auto store = open_sqlite_store(dir.db());
  Arrival a = arrive(*store, "zalo", "m1", "u1", 1'000);
  store->record_decision(a.context.conversation.id, R"({"decided":"billable send"})");
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM decision_log WHERE event_id IS NULL AND decision_json LIKE '%billable%'") ==
        1);
}
