// SQLite cannot change a table's constraints in place (ALTER TABLE only adds
// and renames): a table is rebuilt under a new definition, keeping its rows,
// their ids, its indexes and triggers.
//
// Threads: runs on the writer connection during migration, inside the
// migration's transaction, with foreign keys off (see migrations.cpp).
#pragma once

#include <string>

#include "store/sqlite/sqlite_connection.hpp"

namespace switchboard::store::sqlite {

// Rebuilds `table` from its current definition with the text `from` (which
// must occur exactly once in it) replaced by `to`. The definition is read from
// the file, not written here, so columns other migrations added (whichever
// order they were applied in) are kept. Throws std::runtime_error when `from`
// is not found once: the file is not what this rebuild was written for.
void rebuild_table(SqliteConnection& connection, const std::string& table, const std::string& from,
                   const std::string& to);

}  // namespace switchboard::store::sqlite
