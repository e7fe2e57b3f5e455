// SQL for the outbox: reply rows written with a run, claimed head-of-line per
// conversation, and their send results. Row life:
//   pending → sending → sent | retrying (→ sending …) | dead | blocked
// sent, dead and blocked are final. The oldest open row of a conversation is
// its head; only a head is ever claimed, so replies leave in order, and a
// retrying head holds back everything behind it until it is final.
//
// Threads: functions take the connection they run on; writes run on the
// writer thread inside a GroupCommitter task.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace switchboard::store::sqlite {

// Writes a pending outbox row (due `now`) and its outgoing message row (text
// and attachments taken from the payload). Throws std::invalid_argument when
// the payload is not a JSON object.
Id enqueue_reply(SqliteConnection& connection, Id conversation_id, const std::string& inbox, const OutboxItem& item,
                 Millis now);

// Due heads, oldest first, marked sending with one more attempt. The rows
// carry the attempts made before this claim.
std::vector<OutboxRow> claim_due_rows(SqliteConnection& connection, Millis now, int limit);

void set_outbox_sent(SqliteConnection& connection, Id id, const std::string& platform_message_id, Millis now);
void set_outbox_retrying(SqliteConnection& connection, Id id, Millis next_attempt_at, const std::string& error,
                         Millis now);
// `status` is Dead or Blocked.
void set_outbox_final(SqliteConnection& connection, Id id, OutboxStatus status, const std::string& code,
                      const std::string& reason, Millis now);

std::optional<Millis> select_next_due(SqliteConnection& connection);
int64_t requeue_sending_rows(SqliteConnection& connection, Millis now);
int64_t count_waiting_rows(SqliteConnection& connection);

}  // namespace switchboard::store::sqlite
