// One prepared statement (RAII over sqlite3_stmt) with typed bind and column
// helpers. Values only ever reach SQL through bind(): never formatted in.
//
// Threads: a statement belongs to its connection; the connection's owner
// thread (writer, or the reader holding the lease) is the only caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace switchboard::store::sqlite {

class Statement {
 public:
  // Prepares exactly one SQL statement; throws SqliteError when it does not compile.
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text is copied by SQLite.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::nullopt_t);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<int64_t>& value);

  // Binds the arguments to parameters 1, 2, 3… in order.
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances: true when a row is ready, false when done; throws SqliteError.
  bool step();
  // Runs a statement that returns no rows (INSERT/UPDATE/DELETE, BEGIN…).
  void run();
  // Ready for a new use: rewound, bindings cleared. Ends its read, if any.
  void reset();

  int64_t int64(int column) const;
  std::optional<int64_t> optional_int64(int column) const;
  std::string text(int column) const;  // "" for NULL
  std::optional<std::string> optional_text(int column) const;
  bool is_null(int column) const;
  bool is_integer(int column) const;
  int column_count() const;
  std::string column_name(int column) const;

  const std::string& sql() const { return sql_; }

 private:
  [[noreturn]] void fail(int code) const;
  void check_bind(int code, int index) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

}  // namespace switchboard::store::sqlite
