// Builds SqliteError messages from the connection's last error.
#include "store/sqlite/sqlite_error.hpp"

#include <sqlite3.h>

namespace switchboard::store::sqlite {

void throw_sqlite_error(sqlite3* db, int code, const std::string& doing) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw SqliteError(code, "sqlite: " + message + " (" + doing + ")");
}

}  // namespace switchboard::store::sqlite
