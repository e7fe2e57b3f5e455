// Opening a store file: schema creation, versioning and refusal of files this
// build cannot safely write.
#include <doctest/doctest.h>

#include <fstream>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_error.hpp"
#include "store_test_support.hpp"

namespace switchboard::store::testing {

TEST_CASE("a fresh file gets every table, the dead_letters view and the latest schema version") {
  TempDir dir;
  { SqliteStore store(dir.db()); }
  RawDb raw(dir.db());
  for (const char* table : {"contacts", "identities", "conversations", "inbound_events", "messages", "tags",
                            "attributes", "plugin_state", "outbox", "decision_log", "schema_version"}) {
    CAPTURE(table);
    CHECK(raw.integer(std::string("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '") + table +
                      "'") == 1);
  }
  CHECK(raw.integer("SELECT COUNT(*) FROM sqlite_master WHERE type = 'view' AND name = 'dead_letters'") == 1);
  CHECK(raw.integer("SELECT COUNT(*) FROM sqlite_master WHERE name = 'inbound_events_unprocessed'") == 1);
  CHECK(raw.integer("SELECT MAX(version) FROM schema_version") == sqlite::latest_schema_version());
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("reopening a migrated file keeps its data and applies no migration twice") {
  TempDir dir;
  { SqliteStore(dir.db()).ingest({make_event("zalo", "m1")}); }
  SqliteStore store(dir.db());
  CHECK(store.unprocessed_events().size() == 1);
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM schema_version") == static_cast<int64_t>(sqlite::schema_migrations().size()));
}

TEST_CASE("a file with a newer schema version is refused with a clear error") {
  TempDir dir;
  { SqliteStore store(dir.db()); }
  int newer = sqlite::latest_schema_version() + 1;
  RawDb(dir.db()).exec("INSERT INTO schema_version(version, description, applied_at) VALUES (" + std::to_string(newer) +
                       ", 'from the future', 0)");
  std::string error = error_of([&] { SqliteStore store(dir.db()); });
  CHECK(error.find("schema version " + std::to_string(newer)) != std::string::npos);
  CHECK(error.find("newer than this build") != std::string::npos);
  CHECK(error.find(dir.db().string()) != std::string::npos);
}

TEST_CASE("the parent directories of a new store file are created") {
  TempDir dir;
  std::filesystem::path file = dir.path() / "data" / "nested" / "store.db";
  auto store = open_sqlite_store(file);
  CHECK(std::filesystem::exists(file));
  CHECK(store->outbox_depth() == 0);
}

TEST_CASE("a file that is not a database is refused, naming the file") {
  TempDir dir;
  std::ofstream(dir.db()) << "this is not a database, just text that is long enough to have a header";
  std::string error = error_of([&] { SqliteStore store(dir.db()); });
  CHECK(error.find(dir.db().string()) != std::string::npos);
  CHECK(error.find("not a database") != std::string::npos);
}

TEST_CASE("the writer connection is WAL with synchronous FULL and enforced foreign keys") {
  TempDir dir;
  sqlite::SqliteConnection writer(dir.db(), sqlite::ConnectionRole::Writer);
  auto pragma = [&](const char* sql) {
    sqlite::Statement& statement = writer.prepare(sql);
    REQUIRE(statement.step());
    std::string value = statement.text(0);
    statement.reset();
    return value;
  };
  CHECK(pragma("PRAGMA journal_mode") == "wal");
  CHECK(pragma("PRAGMA synchronous") == "2");  // FULL
  CHECK(pragma("PRAGMA foreign_keys") == "1");
}

TEST_CASE("the schema enforces its references: a tag for an unknown conversation is refused") {
  TempDir dir;
  { SqliteStore store(dir.db()); }
  sqlite::SqliteConnection writer(dir.db(), sqlite::ConnectionRole::Writer);
  std::string error = error_of([&] { writer.exec("INSERT INTO tags(conversation_id, tag) VALUES (999, 'x')"); });
  CHECK(error.find("FOREIGN KEY") != std::string::npos);
}

TEST_CASE("a reader connection refuses to write") {
  TempDir dir;
  SqliteStore store(dir.db());
  sqlite::SqliteConnection reader(dir.db(), sqlite::ConnectionRole::Reader);
  CHECK_THROWS_AS(reader.exec("INSERT INTO contacts(name) VALUES ('x')"), sqlite::SqliteError);
}

TEST_CASE("a migration numbered below the highest applied one is still applied (reserved numbers merge late)") {
  TempDir dir;
  { SqliteStore store(dir.db()); }
  {
    // The file as a build without version 3 left it: 6 applied, 3 never.
    RawDb raw(dir.db());
    raw.exec("DROP INDEX outbox_by_platform_id");
    raw.exec("ALTER TABLE messages DROP COLUMN delivery_at");
    raw.exec("ALTER TABLE messages DROP COLUMN delivery");
    raw.exec("DELETE FROM schema_version WHERE version = 3");
    REQUIRE(raw.integer("SELECT MAX(version) FROM schema_version") > 3);
  }
  { SqliteStore store(dir.db()); }
  RawDb raw(dir.db());
  CHECK(raw.integer("SELECT COUNT(*) FROM schema_version WHERE version = 3") == 1);
  CHECK(raw.integer("SELECT COUNT(*) FROM pragma_table_info('messages') WHERE name = 'delivery'") == 1);
  CHECK(raw.integer("SELECT COUNT(*) FROM schema_version") == static_cast<int64_t>(sqlite::schema_migrations().size()));
}

}  // namespace switchboard::store::testing
