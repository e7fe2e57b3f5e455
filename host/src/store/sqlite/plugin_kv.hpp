// SQL for the plugin key-value store (table plugin_kv), behind sb_host_v1.kv_*.
//
// Threads: reads run on a pooled reader; writes on the writer thread inside a
// GroupCommitter task, so a put is durable when the task's commit returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace switchboard::store::sqlite {

std::optional<std::string> select_kv(SqliteConnection& connection, const std::string& scope, const std::string& key);
void upsert_kv(SqliteConnection& connection, const std::string& scope, const std::string& key, const std::string& value,
               Millis now);
std::vector<KeyValueEntry> scan_kv(SqliteConnection& connection, const std::string& scope_prefix,
                                   const std::string& key_prefix);
void delete_kv(SqliteConnection& connection, const std::string& scope, const std::string& key);

}  // namespace switchboard::store::sqlite
