// SQL of the reports: read-only counts over messages, the decision log,
// outbox payloads and SLA breaches, on one reader connection (one snapshot).
#pragma once

#include "store/report_data.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace switchboard::store::sqlite {

ReportData select_report(SqliteConnection& c, const ReportQuery& query);

}  // namespace switchboard::store::sqlite
