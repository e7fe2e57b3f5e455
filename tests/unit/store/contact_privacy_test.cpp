// Personal data (Decree 13/2023): a contact's export holds everything stored
// about them, erasure leaves nothing behind, retention purges old resolved
// conversations; and the contact directory's search, suggestions and merge.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "store_test_support.hpp"

namespace switchboard::store::testing {
namespace {

// A contact with a processed message, a reply, tags, state and a note.
Arrival busy_contact(SqliteStore& store, const std::string& inbox, const std::string& sender, const std::string& id) {
  Arrival a = arrive(store, inbox, id, sender);
  RunCommit run = run_for(a);
  run.text = "số điện thoại em 0912 345 678";
  run.tags = {"vip"};
  run.attributes = {{"lang", "vi"}};
  run.state_writes = {{"faq", "turn", "1"}};
  run.outbox = {{reply_payload("Dạ em nhận được ạ"), "bot"}};
  store.commit_run(run);
  AgentAction note;
  note.kind = AgentAction::Kind::Note;
  note.actor = "lan";
  note.conversation_id = a.context.conversation.id;
  note.text = "khách quen";
  REQUIRE(store.apply_action(note).applied);
  return a;
}

int64_t rows_mentioning(RawDb& raw, Id contact, Id conversation) {
  std::string c = std::to_string(conversation);
  return raw.integer("SELECT (SELECT COUNT(*) FROM contacts WHERE id = " + std::to_string(contact) +
                     ") + (SELECT COUNT(*) FROM identities WHERE contact_id = " + std::to_string(contact) +
                     ") + (SELECT COUNT(*) FROM conversations WHERE id = " + c +
                     ") + (SELECT COUNT(*) FROM messages WHERE conversation_id = " + c +
                     ") + (SELECT COUNT(*) FROM notes WHERE conversation_id = " + c +
                     ") + (SELECT COUNT(*) FROM tags WHERE conversation_id = " + c +
                     ") + (SELECT COUNT(*) FROM attributes WHERE conversation_id = " + c +
                     ") + (SELECT COUNT(*) FROM plugin_state WHERE conversation_id = " + c +
                     ") + (SELECT COUNT(*) FROM outbox WHERE conversation_id = " + c +
                     ") + (SELECT COUNT(*) FROM decision_log WHERE conversation_id = " + c +
                     ") + (SELECT COUNT(*) FROM inbound_events WHERE conversation_id = " + c + ")");
}

}  // namespace

TEST_CASE("export holds everything about a contact; erase leaves nothing of them and keeps the others") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival lan = busy_contact(store, "zalo", "u-lan", "m1");
  Arrival minh = busy_contact(store, "zalo", "u-minh", "m2");
  store.ingest({make_event("zalo", "m3", "u-lan", "tin chưa xử lý")});  // not processed yet

  auto data = store.export_contact(lan.context.contact.id);
  REQUIRE(data);
  CHECK((*data)["identities"][0]["external_id"] == "u-lan");
  CHECK((*data)["messages"].size() == 2);
  CHECK((*data)["messages"][0]["text"] == "số điện thoại em 0912 345 678");
  CHECK((*data)["notes"][0]["text"] == "khách quen");
  CHECK((*data)["tags"][0]["tag"] == "vip");
  CHECK((*data)["outbox"][0]["payload_json"]["text"] == "Dạ em nhận được ạ");
  CHECK((*data)["inbound_events"].size() == 2);
  CHECK_FALSE(store.export_contact(999));

  RawDb raw(dir.db());
  Id contact = lan.context.contact.id;
  Id conversation = lan.context.conversation.id;
  CHECK(rows_mentioning(raw, contact, conversation) > 0);
  CHECK(store.erase_contact(contact));
  CHECK(rows_mentioning(raw, contact, conversation) == 0);
  CHECK(raw.integer("SELECT COUNT(*) FROM inbound_events WHERE sender_id = 'u-lan'") == 0);
  CHECK(raw.integer("SELECT COUNT(*) FROM messages WHERE text LIKE '%0912%'") == 1);  // Minh's, untouched
  CHECK(rows_mentioning(raw, minh.context.contact.id, minh.context.conversation.id) > 0);
  CHECK_FALSE(store.erase_contact(contact));
}

TEST_CASE("an erased contact's words are gone from the database file itself, not just from its tables") {
  TempDir dir;
  {
    SqliteStore store(dir.db());
    Arrival lan = arrive(store, "zalo", "m1", "u-lan");
    RunCommit run = run_for(lan);
    run.text = "ma-rieng-7Q3Z-cua-Lan";
    run.outbox = {{reply_payload("tra-loi-7Q3Z-cho-Lan"), "bot"}};
    store.commit_run(run);
    Arrival minh = arrive(store, "zalo", "m2", "u-minh");
    RunCommit kept = run_for(minh);
    kept.text = "giu-lai-9K4W-cua-Minh";
    store.commit_run(kept);
    REQUIRE(store.erase_contact(lan.context.contact.id));
  }  // closing folds the WAL into the file
  std::ifstream file(dir.db(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK(bytes.find("giu-lai-9K4W") != std::string::npos);  // the scan can see text
  CHECK(bytes.find("7Q3Z") == std::string::npos);
}

TEST_CASE("retention purges resolved conversations older than the cut, and contacts left with nothing") {
  TempDir dir;
  ManualClock clock;
  SqliteStoreOptions options;
  options.clock = clock.function();
  SqliteStore store(dir.db(), options);
  Arrival old_one = busy_contact(store, "zalo", "u-old", "m1");
  Arrival open_one = busy_contact(store, "zalo", "u-open", "m2");
  AgentAction resolve;
  resolve.kind = AgentAction::Kind::Resolve;
  resolve.actor = "lan";
  resolve.conversation_id = old_one.context.conversation.id;
  REQUIRE(store.apply_action(resolve).applied);

  Millis cut = clock.now->load() + 1;
  clock.now->store(cut + 10);
  CHECK(store.purge_resolved(cut) == 1);
  RawDb raw(dir.db());
  CHECK(rows_mentioning(raw, old_one.context.contact.id, old_one.context.conversation.id) == 0);
  CHECK(rows_mentioning(raw, open_one.context.contact.id, open_one.context.conversation.id) > 0);
  CHECK(store.purge_resolved(cut) == 0);
}

TEST_CASE("contacts are found by name, email or any spelling of their phone, and merged") {
  TempDir dir;
  SqliteStore store(dir.db());
  Arrival zalo = arrive(store, "zalo", "m1", "u-1");
  Arrival mail = arrive(store, "email", "m2", "lan@example.vn");
  RawDb raw(dir.db());
  raw.exec("UPDATE contacts SET name = 'Nguyễn Thị Lan', phone = '+84 912 345 678' WHERE id = " +
           std::to_string(zalo.context.contact.id));
  raw.exec("UPDATE contacts SET phone = '0912.345.678', email = 'lan@example.vn' WHERE id = " +
           std::to_string(mail.context.contact.id));

  CHECK(store.search_contacts("Lan", 10).size() == 1);
  CHECK(store.search_contacts("0912345678", 10).size() == 2);
  CHECK(store.search_contacts("LAN@example.vn", 10).size() == 1);
  auto suggestions = store.merge_candidates(zalo.context.contact.id);
  REQUIRE(suggestions.size() == 1);
  CHECK(suggestions[0].id == mail.context.contact.id);
  CHECK(suggestions[0].identities == std::vector<std::string>{"email:lan@example.vn"});

  REQUIRE(store.merge_contacts(zalo.context.contact.id, mail.context.contact.id));
  CHECK(raw.integer("SELECT COUNT(*) FROM contacts") == 1);
  CHECK(raw.integer("SELECT COUNT(*) FROM identities WHERE contact_id = " + std::to_string(zalo.context.contact.id)) ==
        2);
  CHECK(raw.text("SELECT email FROM contacts") == "lan@example.vn");
  CHECK(store.contact_conversations(zalo.context.contact.id).size() == 2);  // the 360° view spans both channels
  CHECK_FALSE(store.merge_contacts(zalo.context.contact.id, mail.context.contact.id));
}

}  // namespace switchboard::store::testing
