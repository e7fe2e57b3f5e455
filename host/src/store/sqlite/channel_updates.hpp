// SQL for the channel events that change stored facts without a pipeline
// run: contact updates (follow, submitted info, fetched profiles) and
// delivery/read receipts on outbound messages; plus decision-log notes that
// belong to no event.
//
// Threads: functions take the connection they run on; writes run on the
// writer thread inside a GroupCommitter task.
#pragma once

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace switchboard::store::sqlite {

// See Store::apply_contact_update.
void write_contact_update(SqliteConnection& connection, const ContactUpdate& update, Millis now);

// See Store::apply_receipt; returns the number of messages changed.
int64_t write_receipt(SqliteConnection& connection, const Receipt& receipt, Millis now);

// See Store::record_decision.
void write_decision_note(SqliteConnection& connection, Id conversation_id, const std::string& decision_json,
                         Millis now);

}  // namespace switchboard::store::sqlite
