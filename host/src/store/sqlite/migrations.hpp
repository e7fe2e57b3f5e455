// The database schema as an ordered list of migrations. Version N's script
// turns a version N-1 database into version N; each runs in its own
// transaction and records itself in schema_version. Append only: a shipped
// migration is never edited.
#pragma once

#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace switchboard::store::sqlite {

struct Migration {
  int version;
  const char* description;
  const char* sql;
  // Code run after `sql` in the same transaction, when a table others refer
  // to must be rebuilt: the migration then runs with foreign keys off and
  // commits only if PRAGMA foreign_key_check finds nothing.
  void (*rebuild)(SqliteConnection& connection) = nullptr;
};

const std::vector<Migration>& schema_migrations();
int latest_schema_version();

// The version recorded in the file (0: none yet).
int schema_version(SqliteConnection& connection);

// Applies every missing migration, oldest first. Throws std::runtime_error
// when the file is newer than this build knows: it would be unsafe to write.
// Runs on the writer connection before the writer thread starts.
void migrate(SqliteConnection& connection, Millis now);

}  // namespace switchboard::store::sqlite
