#include "harness/store_reader.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace switchboard::integration {

namespace {

struct CloseConnection {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw std::runtime_error(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

std::vector<Row> StoreReader::rows(const std::string& sql) const {
  sqlite3* raw = nullptr;
  int opened = sqlite3_open_v2(file_.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, CloseConnection> db(raw);
  if (opened != SQLITE_OK) fail(raw, "open " + file_.string());
  sqlite3_busy_timeout(db.get(), 10000);

  sqlite3_stmt* raw_statement = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw_statement, nullptr) != SQLITE_OK) fail(db.get(), sql);
  std::unique_ptr<sqlite3_stmt, FinalizeStatement> statement(raw_statement);

  std::vector<Row> result;
  for (;;) {
    int step = sqlite3_step(statement.get());
    if (step == SQLITE_DONE) break;
    if (step != SQLITE_ROW) fail(db.get(), sql);
    Row row;
    for (int column = 0; column < sqlite3_column_count(statement.get()); ++column) {
      const unsigned char* text = sqlite3_column_text(statement.get(), column);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    result.push_back(std::move(row));
  }
  return result;
}

int64_t StoreReader::scalar(const std::string& sql) const {
  auto result = rows(sql);
  if (result.empty() || result[0].empty() || result[0][0].empty()) return 0;
  return std::strtoll(result[0][0].c_str(), nullptr, 10);
}

}  // namespace switchboard::integration
