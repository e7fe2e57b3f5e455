// The steps of SQLite's "making other kinds of table schema changes"
// procedure (https://sqlite.org/lang_altertable.html#otheralter), minus the
// pragmas and the transaction, which the migration runner owns.
#include "store/sqlite/table_rebuild.hpp"

#include <stdexcept>
#include <vector>

namespace switchboard::store::sqlite {
namespace {

std::string definition_of(SqliteConnection& connection, const std::string& table) {
  Statement& query = connection.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1");
  query.bind_all(table);
  bool found = query.step();
  std::string sql = found ? query.text(0) : std::string();
  query.reset();
  if (!found) throw std::runtime_error("rebuild of table " + table + ": no such table");
  return sql;
}

// The table's own indexes and triggers (not the automatic ones its
// constraints make): dropped with it, so made again afterwards.
std::vector<std::string> dependents_of(SqliteConnection& connection, const std::string& table) {
  Statement& query = connection.prepare(
      "SELECT sql FROM sqlite_master WHERE tbl_name = ?1 AND type IN ('index', 'trigger') AND sql IS NOT NULL "
      "ORDER BY type, name");
  query.bind_all(table);
  std::vector<std::string> out;
  while (query.step()) out.push_back(query.text(0));
  query.reset();
  return out;
}

std::string replace_once(const std::string& text, const std::string& from, const std::string& to,
                         const std::string& what) {
  std::size_t at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
    throw std::runtime_error("rebuild of " + what + ": expected '" + from + "' exactly once in: " + text);
  }
  return text.substr(0, at) + to + text.substr(at + from.size());
}

}  // namespace

void rebuild_table(SqliteConnection& connection, const std::string& table, const std::string& from,
                   const std::string& to) {
  const std::string rebuilt = table + "_rebuilt";
  std::string definition = replace_once(definition_of(connection, table), from, to, "table " + table);
  definition = replace_once(definition, "CREATE TABLE " + table + "(", "CREATE TABLE " + rebuilt + "(", table);
  std::vector<std::string> dependents = dependents_of(connection, table);
  connection.reset_statements();  // nothing cached may refer to the old table once it is dropped

  connection.exec(definition);
  connection.exec("INSERT INTO " + rebuilt + " SELECT * FROM " + table);  // same columns, same order, same ids
  connection.exec("DROP TABLE " + table);
  connection.exec("ALTER TABLE " + rebuilt + " RENAME TO " + table);
  for (const std::string& sql : dependents) connection.exec(sql);
}

}  // namespace switchboard::store::sqlite
