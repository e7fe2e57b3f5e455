// The plugin key-value store: one row per (instance scope, key).
#include "store/sqlite/plugin_kv.hpp"

namespace switchboard::store::sqlite {

std::optional<std::string> select_kv(SqliteConnection& connection, const std::string& scope, const std::string& key) {
  Statement& query = connection.prepare("SELECT value FROM plugin_kv WHERE scope = ?1 AND key = ?2");
  query.bind_all(scope, key);
  std::optional<std::string> value;
  if (query.step()) value = query.text(0);
  query.reset();
  return value;
}

void upsert_kv(SqliteConnection& connection, const std::string& scope, const std::string& key, const std::string& value,
               Millis now) {
  connection
      .prepare(
          "INSERT INTO plugin_kv(scope, key, value, updated_at) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT(scope, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
      .bind_all(scope, key, value, now)
      .run();
}

// Byte prefixes compared as BLOBs rather than LIKE: '%' and '_' in a prefix
// are plain characters, and lengths count bytes whatever the text.
std::vector<KeyValueEntry> scan_kv(SqliteConnection& connection, const std::string& scope_prefix,
                                   const std::string& key_prefix) {
  Statement& query = connection.prepare(
      "SELECT scope, key, value FROM plugin_kv WHERE substr(CAST(scope AS BLOB), 1, ?2) = CAST(?1 AS BLOB) "
      "AND substr(CAST(key AS BLOB), 1, ?4) = CAST(?3 AS BLOB) "
      "ORDER BY scope, key");
  query.bind_all(scope_prefix, static_cast<int64_t>(scope_prefix.size()), key_prefix,
                 static_cast<int64_t>(key_prefix.size()));
  std::vector<KeyValueEntry> out;
  while (query.step()) out.push_back(KeyValueEntry{query.text(0), query.text(1), query.text(2)});
  query.reset();
  return out;
}

void delete_kv(SqliteConnection& connection, const std::string& scope, const std::string& key) {
  connection.prepare("DELETE FROM plugin_kv WHERE scope = ?1 AND key = ?2").bind_all(scope, key).run();
}

}  // namespace switchboard::store::sqlite
