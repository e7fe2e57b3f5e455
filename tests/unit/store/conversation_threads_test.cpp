// Conversations per thread (schema version 7): email threads give one contact
// several conversations on one inbox; channels without threads keep one.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "store/sqlite/migrations.hpp"
#include "store_test_support.hpp"

namespace switchboard::store::testing {
namespace {

using nlohmann::json;

const json kSender = {{"id", "an@example.test"}, {"email", "an@example.test"}};

// A database exactly as schema version 6 left it: the scripts of every
// migration up to 6, recorded as applied, without this build's later ones.
void create_v6_database(const std::filesystem::path& file) {
  RawDb raw(file);
  raw.exec(
      "CREATE TABLE schema_version(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER "
      "NOT NULL)");
  for (const sqlite::Migration& migration : sqlite::schema_migrations()) {
    if (migration.version > 6) continue;
    raw.exec(migration.sql);
    raw.exec("INSERT INTO schema_version VALUES (" + std::to_string(migration.version) + ", 'v', 0)");
  }
}

void create_empty_file(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("new threads of one sender get their own conversations; the same thread finds its own again") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto first = store.open_conversation("mail", kSender, 1'000, ThreadRef{"m-1@example.test", {}});
  auto second = store.open_conversation("mail", kSender, 2'000, ThreadRef{"m-2@example.test", {}});
  CHECK(first.created);
  CHECK(second.created);
  CHECK(second.contact.id == first.contact.id);
  CHECK(second.conversation.id != first.conversation.id);

  auto again = store.open_conversation("mail", kSender, 3'000, ThreadRef{"m-2@example.test", {}});
  CHECK_FALSE(again.created);
  CHECK(again.conversation.id == second.conversation.id);
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM conversations") == 2);
  CHECK(raw.text("SELECT thread_key FROM conversations WHERE id = " + std::to_string(first.conversation.id)) ==
        "m-1@example.test");
}

TEST_CASE("a reply joins the conversation it names, and only one of the same contact and inbox") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto original = store.open_conversation("mail", kSender, 1'000, ThreadRef{"m-1", {}});
  auto reply = store.open_conversation("mail", kSender, 2'000, ThreadRef{"r-1", original.conversation.id});
  CHECK_FALSE(reply.created);
  CHECK(reply.conversation.id == original.conversation.id);
  CHECK(reply.conversation.last_inbound_at == 2'000);

  // Another sender naming it, or an id that does not exist: the fallback key.
  auto other = store.open_conversation("mail", json{{"id", "eve@example.test"}}, 3'000,
                                       ThreadRef{"x-1", original.conversation.id});
  CHECK(other.created);
  CHECK(other.conversation.id != original.conversation.id);
  auto unknown = store.open_conversation("mail", kSender, 4'000, ThreadRef{"y-1", 999'999});
  CHECK(unknown.created);
  // The same conversation named from another inbox is not joined either.
  auto elsewhere = store.open_conversation("mail-2", kSender, 5'000, ThreadRef{"z-1", original.conversation.id});
  CHECK(elsewhere.created);
  CHECK(elsewhere.conversation.inbox == "mail-2");
}

TEST_CASE("peek follows the thread the same way open does") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto first = store.open_conversation("mail", kSender, 1'000, ThreadRef{"m-1", {}});
  CHECK_FALSE(store.peek_conversation("mail", kSender, 2'000, ThreadRef{"m-2", {}}).has_value());
  auto joined = store.peek_conversation("mail", kSender, 2'000, ThreadRef{"r-1", first.conversation.id});
  REQUIRE(joined.has_value());
  CHECK(joined->conversation.id == first.conversation.id);
  auto keyed = store.peek_conversation("mail", kSender, 2'000, ThreadRef{"m-1", {}});
  REQUIRE(keyed.has_value());
  CHECK(keyed->conversation.id == first.conversation.id);
}

TEST_CASE("a run committed on a peeked thread opens that thread's conversation") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto first = store.open_conversation("mail", kSender, 1'000, ThreadRef{"m-1", {}});
  store.open_conversation("mail", kSender, 1'500, ThreadRef{"m-2", {}});
  Id event = store.ingest({make_event("mail", "r-1", "an@example.test")}).at(0).event_id;
  ThreadRef thread{"r-1", first.conversation.id};
  auto peeked = store.peek_conversation("mail", kSender, 2'000, thread);
  REQUIRE(peeked.has_value());
  RunCommit run;
  run.event_id = event;
  run.conversation_id = peeked->conversation.id;
  run.text = "reply";
  run.open = ConversationOpen{"mail", kSender, 2'000, thread};
  store.commit_run(run);
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT conversation_id FROM messages WHERE event_id = " + std::to_string(event)) ==
        first.conversation.id);
  CHECK(raw.integer("SELECT COUNT(*) FROM conversations") == 2);
}

TEST_CASE("channels without threads keep one conversation per contact and inbox next to email threads") {
  TempDir dir;
  SqliteStore store(dir.db());
  auto zalo = store.open_conversation("zalo", json{{"id", "z-1"}}, 1'000);
  CHECK(store.open_conversation("zalo", json{{"id", "z-1"}}, 2'000).conversation.id == zalo.conversation.id);
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT thread_key FROM conversations WHERE id = " + std::to_string(zalo.conversation.id)).empty());
  CHECK_THROWS(raw.exec("INSERT INTO conversations(contact_id, inbox, state, controller) VALUES (" +
                        std::to_string(zalo.contact.id) + ", 'zalo', 'bot', 'bot')"));
}

TEST_CASE("migrating a version 6 database keeps every conversation, its id and what refers to it") {
  TempDir dir;
  create_empty_file(dir.db());
  create_v6_database(dir.db());
  {
    RawDb raw(dir.db());
    raw.exec(
        "INSERT INTO contacts(id, name, email) VALUES (7, 'Lan', 'lan@example.test');"
        "INSERT INTO identities(contact_id, inbox, external_id) VALUES (7, 'mail', 'lan@example.test');"
        "INSERT INTO conversations(id, contact_id, inbox, state, controller, queue, priority, assignee, "
        "  last_inbound_at, created_at, updated_at, queued_at, assigned_at, last_agent) "
        "  VALUES (41, 7, 'mail', 'assigned', 'human', 'cskh', 2, 'hoa', 5000, 1000, 6000, 5500, 5600, 'hoa');"
        "INSERT INTO conversations(id, contact_id, inbox, state, controller) VALUES (42, 7, 'zalo', 'bot', 'bot');"
        "INSERT INTO inbound_events(id, inbox, channel_message_id, sender_id, payload_json, received_at, "
        "  processed_at, conversation_id) VALUES (3, 'mail', 'm-1', 'lan@example.test', '{}', 5000, 5001, 41);"
        "INSERT INTO messages(conversation_id, event_id, direction, author, text, status) "
        "  VALUES (41, 3, 'in', 'customer', 'xin chào', 'received');"
        "INSERT INTO tags(conversation_id, tag) VALUES (41, 'vip');"
        "INSERT INTO notes(conversation_id, author, text, created_at) VALUES (41, 'hoa', 'gọi lại', 1);");
  }
  { SqliteStore store(dir.db()); }  // migrates: 7 (and every later version)

  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM schema_version WHERE version = 7") == 1);
  CHECK(raw.column("SELECT id || ':' || inbox || ':' || state || ':' || controller || ':' || queue || ':' || "
                   "priority || ':' || assignee || ':' || last_inbound_at || ':' || queued_at || ':' || "
                   "assigned_at || ':' || last_agent || ':[' || thread_key || ']' FROM conversations WHERE id = 41") ==
        std::vector<std::string>{"41:mail:assigned:human:cskh:2:hoa:5000:5500:5600:hoa:[]"});
  CHECK(raw.integer("SELECT COUNT(*) FROM conversations") == 2);
  CHECK(raw.text("SELECT text FROM messages WHERE conversation_id = 41") == "xin chào");
  CHECK(raw.text("SELECT tag FROM tags WHERE conversation_id = 41") == "vip");
  CHECK(raw.integer("SELECT conversation_id FROM inbound_events WHERE id = 3") == 41);
  CHECK(raw.column("PRAGMA foreign_key_check").empty());
  CHECK(raw.integer("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('conversations_queued', "
                    "'conversations_assigned', 'conversations_by_contact', 'conversations_enter_queue')") == 4);
  CHECK(raw.integer("SELECT COUNT(*) FROM sqlite_master WHERE name = 'conversations_rebuilt'") == 0);
  CHECK(raw.text("SELECT sql FROM sqlite_master WHERE name = 'messages'").find("REFERENCES conversations(id)") !=
        std::string::npos);

  // The migrated store works: the old conversation continues (by id), a new
  // thread of the same contact starts another, and foreign keys are back on.
  SqliteStore store(dir.db());
  auto mail = store.open_conversation("mail", json{{"id", "lan@example.test"}}, 7'000, ThreadRef{"r", 41});
  CHECK(mail.conversation.id == 41);
  auto fresh = store.open_conversation("mail", json{{"id", "lan@example.test"}}, 8'000, ThreadRef{"m-9", {}});
  CHECK(fresh.conversation.id != 41);
  CHECK_THROWS(RawDb(dir.db()).exec("PRAGMA foreign_keys = ON; DELETE FROM conversations WHERE id = 41"));
}

TEST_CASE("the rebuild keeps columns another migration added before it (versions apply in any order)") {
  TempDir dir;
  create_empty_file(dir.db());
  create_v6_database(dir.db());
  {
    RawDb raw(dir.db());
    // Like a later-numbered migration of another feature, applied first.
    raw.exec("ALTER TABLE conversations ADD COLUMN other_feature INTEGER CHECK(other_feature BETWEEN 1 AND 5)");
    raw.exec("INSERT INTO contacts(id) VALUES (1)");
    raw.exec(
        "INSERT INTO conversations(id, contact_id, inbox, state, controller, other_feature) "
        "VALUES (5, 1, 'zalo', 'resolved', 'bot', 4)");
  }
  { SqliteStore store(dir.db()); }
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT other_feature || '/' || thread_key || '/' || state FROM conversations WHERE id = 5") ==
        "4//resolved");
  CHECK_THROWS(raw.exec("UPDATE conversations SET other_feature = 9 WHERE id = 5"));  // its CHECK came along
}

TEST_CASE("the rebuild leaves no copy of a row behind for a later erase to miss") {
  TempDir dir;
  create_empty_file(dir.db());
  create_v6_database(dir.db());
  {
    RawDb raw(dir.db());
    // Version 8 before 7 (they apply in any order): the rebuild then copies a
    // customer's own words (a CSAT comment) out of the pages it drops.
    for (const sqlite::Migration& migration : sqlite::schema_migrations()) {
      if (migration.version != 8) continue;
      raw.exec(migration.sql);
      raw.exec("INSERT INTO schema_version VALUES (8, 'v', 0)");
    }
    raw.exec(
        "INSERT INTO contacts(id, name) VALUES (7, 'Lan');"
        "INSERT INTO identities(contact_id, inbox, external_id) VALUES (7, 'zalo', 'u-lan');"
        "INSERT INTO conversations(id, contact_id, inbox, state, controller, csat_rating, csat_comment) "
        "  VALUES (41, 7, 'zalo', 'resolved', 'bot', 2, 'cham-qua-5R8T-cua-Lan')");
    // Other customers' conversations: the dropped table spans more pages
    // than the rebuild reuses for its indexes.
    raw.exec(
        "INSERT INTO contacts(id, name) VALUES (8, 'Minh');"
        "INSERT INTO conversations(contact_id, inbox, state, controller, csat_comment) "
        "  VALUES (8, 'zalo', 'resolved', 'bot', 'giu-lai-3M6P-cua-Minh')");
    for (int i = 0; i < 200; ++i) {
      raw.exec("INSERT INTO conversations(contact_id, inbox, state, controller, csat_comment) VALUES (8, 'zalo-" +
               std::to_string(i) + "', 'resolved', 'bot', '" + std::string(200, 'x') + "')");
    }
  }
  {
    SqliteStore store(dir.db());  // migrates: 7
    REQUIRE(store.erase_contact(7));
  }  // closing folds the WAL into the file
  std::ifstream file(dir.db(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK(bytes.find("giu-lai-3M6P") != std::string::npos);  // the scan can see text
  CHECK(bytes.find("5R8T") == std::string::npos);
}

TEST_CASE("the queue trigger survives the rebuild: entering a queue stamps queued_at") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival arrival = arrive(store, "zalo", "m1", "z-1", 1'000);
  RunCommit run = run_for(arrival);
  run.change.state = ConversationState::Queued;
  run.change.queue = "cskh";
  store.commit_run(run);
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT queued_at FROM conversations") != "NULL");
}

}  // namespace switchboard::store::testing
