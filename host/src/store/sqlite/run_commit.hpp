// SQL for committing what a pipeline run decided, together with "this event
// is processed" (DESIGN.md §2.4). Called inside one GroupCommitter task, so
// its savepoint makes the whole run land or none of it.
//
// Threads: the writer thread only.
#pragma once

#include <string>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace switchboard::store::sqlite {

// Writes the run (see RunCommit) and returns its outbox ids in order. Throws
// EventAlreadyProcessed before writing anything for a processed event, and
// std::invalid_argument for an unknown event or conversation.
std::vector<Id> write_run(SqliteConnection& connection, const RunCommit& run, Millis now);

// Marks the event processed with a decision-log note and no run.
void write_processed_note(SqliteConnection& connection, Id event_id, const std::string& note_json, Millis now);

}  // namespace switchboard::store::sqlite
