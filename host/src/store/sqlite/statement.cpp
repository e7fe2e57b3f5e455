// Thin, checked wrappers over sqlite3_bind_*, sqlite3_step and sqlite3_column_*.
#include "store/sqlite/statement.hpp"

#include <sqlite3.h>

#include <cctype>
#include <stdexcept>

#include "store/sqlite/sqlite_error.hpp"

namespace switchboard::store::sqlite {
namespace {

bool only_space(const char* text) {
  for (; *text != '\0'; ++text) {
    if (std::isspace(static_cast<unsigned char>(*text)) == 0) return false;
  }
  return true;
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql_.c_str(), static_cast<int>(sql_.size() + 1), SQLITE_PREPARE_PERSISTENT, &stmt_,
                              &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    throw_sqlite_error(db_, rc, "prepare: " + sql_);
  }
  if (stmt_ == nullptr || (tail != nullptr && !only_space(tail))) {
    sqlite3_finalize(stmt_);
    throw std::logic_error("Statement needs exactly one SQL statement: " + sql_);
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::fail(int code) const { throw_sqlite_error(db_, code, sql_); }

void Statement::check_bind(int code, int index) const {
  if (code != SQLITE_OK) throw_sqlite_error(db_, code, "bind ?" + std::to_string(index) + ": " + sql_);
}

Statement& Statement::bind(int index, int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so the caller's string may go away before step().
  check_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  check_bind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind(index, std::nullopt);
}

Statement& Statement::bind(int index, const std::optional<int64_t>& value) {
  return value ? bind(index, *value) : bind(index, std::nullopt);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc);
}

void Statement::run() {
  if (step()) throw std::logic_error("statement returned a row where none was expected: " + sql_);
}

void Statement::reset() {
  sqlite3_reset(stmt_);  // its code repeats the last step's error, already reported
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
bool Statement::is_integer(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_INTEGER; }
int Statement::column_count() const { return sqlite3_column_count(stmt_); }
std::string Statement::column_name(int column) const {
  const char* name = sqlite3_column_name(stmt_, column);
  return name == nullptr ? std::string() : std::string(name);
}

}  // namespace switchboard::store::sqlite
