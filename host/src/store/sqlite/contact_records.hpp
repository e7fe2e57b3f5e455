// A contact's data as a whole (Decree 13/2023 on personal data): export
// everything stored about one person, erase it, purge by retention; and the
// contact directory: search, merge suggestions (same phone or email), merge.
#pragma once

#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/team_store.hpp"

namespace switchboard::store::sqlite {

std::optional<nlohmann::json> export_contact_data(SqliteConnection& c, Id contact_id);
bool erase_contact_data(SqliteConnection& c, Id contact_id);
int64_t purge_resolved_before(SqliteConnection& c, Millis before);
std::optional<Id> find_contact_by_identity(SqliteConnection& c, const std::string& inbox,
                                           const std::string& external_id);

std::vector<ContactRecord> search_contact_records(SqliteConnection& c, const std::string& query, int limit);
std::optional<ContactRecord> select_contact_record(SqliteConnection& c, Id contact_id);
std::vector<ContactRecord> contact_merge_candidates(SqliteConnection& c, Id contact_id);
bool merge_contact_records(SqliteConnection& c, Id keep, Id drop, Millis now);

}  // namespace switchboard::store::sqlite
