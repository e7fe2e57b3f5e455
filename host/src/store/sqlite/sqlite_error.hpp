// A failed SQLite call as an exception: the extended result code, SQLite's
// message and what was being done (usually the SQL text).
#pragma once

#include <stdexcept>
#include <string>

struct sqlite3;

namespace switchboard::store::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }  // extended result code (SQLITE_CONSTRAINT_UNIQUE…)

 private:
  int code_;
};

// Throws SqliteError for `code`, with `db`'s error message (db may be null).
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, const std::string& doing);

}  // namespace switchboard::store::sqlite
