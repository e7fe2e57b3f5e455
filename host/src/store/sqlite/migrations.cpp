// Schema history. Table and column names are part of the operator surface:
// integration tests and operators read them with the sqlite3 CLI.
#include "store/sqlite/migrations.hpp"

#include <stdexcept>
#include <string>

#include "store/sqlite/table_rebuild.hpp"

namespace switchboard::store::sqlite {
namespace {

// Version 1: the durable message flow (DESIGN.md §2, §3).
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE contacts(
  id INTEGER PRIMARY KEY,
  name TEXT,
  phone TEXT,
  email TEXT,
  created_at INTEGER,
  updated_at INTEGER
);

CREATE TABLE identities(
  id INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  inbox TEXT NOT NULL,
  external_id TEXT NOT NULL,
  profile_json TEXT,
  UNIQUE(inbox, external_id)
);
CREATE INDEX identities_by_contact ON identities(contact_id);

CREATE TABLE conversations(
  id INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  inbox TEXT NOT NULL,
  state TEXT NOT NULL CHECK(state IN ('bot', 'queued', 'assigned', 'resolved', 'snoozed')),
  controller TEXT NOT NULL CHECK(controller IN ('bot', 'human')),
  queue TEXT,
  priority INTEGER NOT NULL DEFAULT 1,
  assignee TEXT,
  last_inbound_at INTEGER,
  created_at INTEGER,
  updated_at INTEGER,
  UNIQUE(contact_id, inbox)
);

CREATE TABLE inbound_events(
  id INTEGER PRIMARY KEY,
  inbox TEXT NOT NULL,
  channel_message_id TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  processed_at INTEGER,
  conversation_id INTEGER REFERENCES conversations(id),
  UNIQUE(inbox, channel_message_id)
);
-- Start-up recovery reads only the (few) unprocessed events.
CREATE INDEX inbound_events_unprocessed ON inbound_events(id) WHERE processed_at IS NULL;

CREATE TABLE outbox(
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  inbox TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('pending', 'sending', 'sent', 'retrying', 'dead', 'blocked')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  error_code TEXT,
  platform_message_id TEXT,
  created_at INTEGER,
  updated_at INTEGER,
  sent_at INTEGER
);
-- Head of line: the oldest open row of each conversation.
CREATE INDEX outbox_open ON outbox(conversation_id, id) WHERE status IN ('pending', 'sending', 'retrying');
-- Due rows, and outbox depth.
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status IN ('pending', 'retrying');

CREATE VIEW dead_letters AS
  SELECT id, conversation_id, inbox, payload_json, error_code, last_error, attempts, updated_at
  FROM outbox WHERE status = 'dead';

CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  event_id INTEGER UNIQUE REFERENCES inbound_events(id),
  outbox_id INTEGER UNIQUE REFERENCES outbox(id),
  direction TEXT NOT NULL CHECK(direction IN ('in', 'out')),
  author TEXT NOT NULL CHECK(author IN ('customer', 'bot', 'agent')),
  text TEXT,
  attachments_json TEXT,
  status TEXT NOT NULL CHECK(status IN ('received', 'queued', 'sent', 'dead', 'blocked')),
  created_at INTEGER
);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);

CREATE TABLE tags(
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  tag TEXT NOT NULL,
  created_at INTEGER,
  PRIMARY KEY(conversation_id, tag)
) WITHOUT ROWID;

CREATE TABLE attributes(
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  key TEXT NOT NULL,
  value_json TEXT NOT NULL,
  updated_at INTEGER,
  PRIMARY KEY(conversation_id, key)
) WITHOUT ROWID;

CREATE TABLE plugin_state(
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value_json TEXT NOT NULL,
  PRIMARY KEY(conversation_id, scope, key)
) WITHOUT ROWID;

CREATE TABLE decision_log(
  id INTEGER PRIMARY KEY,
  event_id INTEGER REFERENCES inbound_events(id),
  conversation_id INTEGER REFERENCES conversations(id),
  decision_json TEXT NOT NULL,
  created_at INTEGER
);
CREATE INDEX decision_log_by_event ON decision_log(event_id);
CREATE INDEX decision_log_by_conversation ON decision_log(conversation_id, id);
)sql";

// Version 2: durable per-plugin-instance values (token pairs, mail cursors).
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE plugin_kv(
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY(scope, key)
) WITHOUT ROWID;
)sql";

// Version 3: channel receipts on outbound messages (Zalo user_received_message
// / user_seen_message, Messenger delivery / read), found by the platform's id.
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE messages ADD COLUMN delivery TEXT CHECK(delivery IN ('delivered', 'read'));
ALTER TABLE messages ADD COLUMN delivery_at INTEGER;
CREATE INDEX outbox_by_platform_id ON outbox(inbox, platform_message_id) WHERE platform_message_id IS NOT NULL;
)sql";

// Version 6: human handoff — credentials, tokens, presence, queue timing,
// notes, round-robin cursors and the audit log.
constexpr const char* kSchemaV6 = R"sql(
CREATE TABLE agent_credentials(
  agent_id TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER
) WITHOUT ROWID;

CREATE TABLE agent_tokens(
  token_hash TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
) WITHOUT ROWID;

CREATE TABLE agent_presence(
  agent_id TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK(status IN ('online', 'away', 'offline')),
  updated_at INTEGER
) WITHOUT ROWID;

CREATE TABLE assignment_cursors(
  queue TEXT PRIMARY KEY,
  last_agent TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE notes(
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX notes_by_conversation ON notes(conversation_id, id);

CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  conversation_id INTEGER,
  detail_json TEXT NOT NULL DEFAULT '{}'
);

-- One row per missed response deadline: a breach escalates once, also
-- across restarts. started_at is when the customer began waiting.
CREATE TABLE sla_breaches(
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  started_at INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK(kind IN ('first_response', 'next_response')),
  queue TEXT NOT NULL,
  assignee TEXT,
  breached_at INTEGER NOT NULL,
  PRIMARY KEY(conversation_id, started_at)
) WITHOUT ROWID;

ALTER TABLE conversations ADD COLUMN queued_at INTEGER;
ALTER TABLE conversations ADD COLUMN assigned_at INTEGER;
ALTER TABLE conversations ADD COLUMN snoozed_until INTEGER;
ALTER TABLE conversations ADD COLUMN last_agent TEXT;
CREATE INDEX conversations_queued ON conversations(queue, priority DESC, queued_at, id) WHERE state = 'queued';
CREATE INDEX conversations_assigned ON conversations(assignee) WHERE state = 'assigned';
CREATE INDEX conversations_by_contact ON conversations(contact_id);

-- Queue waiting time starts when a conversation enters a queue, whoever
-- moved it there (a pipeline's handoff or an agent's transfer).
CREATE TRIGGER conversations_enter_queue AFTER UPDATE OF state ON conversations
  WHEN NEW.state = 'queued' AND OLD.state IS NOT 'queued'
  BEGIN UPDATE conversations SET queued_at = COALESCE(NEW.updated_at, OLD.updated_at) WHERE id = NEW.id; END;
)sql";

// Version 7: several conversations per (contact, inbox), told apart by a
// thread key (email threads); channels without threads keep the key '' and
// so exactly one current conversation. SQLite cannot drop a UNIQUE
// constraint: after the column is added, widen_conversation_key rebuilds
// the table with the wider one (rows, ids, indexes and trigger kept).
constexpr const char* kSchemaV7 = R"sql(
ALTER TABLE conversations ADD COLUMN thread_key TEXT NOT NULL DEFAULT '';
)sql";

void widen_conversation_key(SqliteConnection& connection) {
  rebuild_table(connection, "conversations", "UNIQUE(contact_id, inbox)", "UNIQUE(contact_id, inbox, thread_key)");
}

// Version 8: customer satisfaction on the conversation (asked once, answered
// once) and the first agent reply's time, which the queue's ETA averages.
constexpr const char* kSchemaV8 = R"sql(
ALTER TABLE conversations ADD COLUMN csat_rating INTEGER CHECK(csat_rating BETWEEN 1 AND 5);
ALTER TABLE conversations ADD COLUMN csat_comment TEXT;
ALTER TABLE conversations ADD COLUMN csat_asked_at INTEGER;
ALTER TABLE conversations ADD COLUMN csat_answered_at INTEGER;
)sql";

void ensure_version_table(SqliteConnection& connection) {
  connection.exec(
      "CREATE TABLE IF NOT EXISTS schema_version("
      "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}

void refuse_newer(SqliteConnection& connection, int found) {
  throw std::runtime_error("database " + connection.file().string() + " has schema version " + std::to_string(found) +
                           ", newer than this build of switchboard knows (" + std::to_string(latest_schema_version()) +
                           "); upgrade switchboard or use another database file");
}

void require_foreign_keys_intact(SqliteConnection& connection, const Migration& migration) {
  Statement& check = connection.prepare("PRAGMA foreign_key_check");
  bool broken = check.step();
  std::string table = broken ? check.text(0) : std::string();
  check.reset();
  if (broken) {
    throw std::runtime_error("schema migration " + std::to_string(migration.version) +
                             " would leave a dangling reference in table " + table + "; nothing was changed");
  }
}

bool applied(SqliteConnection& connection, int version) {
  Statement& query = connection.prepare("SELECT 1 FROM schema_version WHERE version = ?1");
  query.bind_all(int64_t{version});
  bool found = query.step();
  query.reset();
  return found;
}

// Applies `migration` unless it is recorded already (another process may have
// got there first). Versions are reserved per feature and merged in any order,
// so a lower number can arrive after a higher one: each is checked on its own,
// not against the highest applied.
void apply(SqliteConnection& connection, const Migration& migration, Millis now) {
  connection.exec("BEGIN IMMEDIATE");
  try {
    if (!applied(connection, migration.version)) {
      connection.exec(migration.sql);
      if (migration.rebuild != nullptr) {
        migration.rebuild(connection);
        require_foreign_keys_intact(connection, migration);
      }
      connection.prepare("INSERT INTO schema_version(version, description, applied_at) VALUES (?1, ?2, ?3)")
          .bind_all(int64_t{migration.version}, migration.description, now)
          .run();
    }
    connection.reset_statements();
    connection.exec("COMMIT");
  } catch (...) {
    connection.reset_statements();
    if (connection.in_transaction()) connection.exec("ROLLBACK");
    throw;
  }
}

// SQLite's table-rebuild procedure: with foreign keys on, dropping the old
// table would delete (or refuse to orphan) every row that refers to it. The
// pragma is a no-op inside a transaction, so it is set around it.
void apply_rebuild(SqliteConnection& connection, const Migration& migration, Millis now) {
  connection.exec("PRAGMA foreign_keys = OFF");
  connection.exec("PRAGMA legacy_alter_table = ON");  // the rename leaves other tables' references as written
  try {
    apply(connection, migration, now);
  } catch (...) {
    connection.exec("PRAGMA legacy_alter_table = OFF");
    connection.exec("PRAGMA foreign_keys = ON");
    throw;
  }
  connection.exec("PRAGMA legacy_alter_table = OFF");
  connection.exec("PRAGMA foreign_keys = ON");
}

}  // namespace

const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "durable message flow: contacts, conversations, inbound log, messages, outbox, decision log", kSchemaV1},
      {2, "plugin key-value store (ABI 1.1 kv_*)", kSchemaV2},
      {3, "delivery receipts on outbound messages (messages.delivery)", kSchemaV3},
      {6, "human handoff: agents, tokens, presence, notes, queues, audit log", kSchemaV6},
      {7, "conversations per thread: conversations.thread_key, UNIQUE(contact_id, inbox, thread_key)", kSchemaV7,
       &widen_conversation_key},
      {8, "handoff: CSAT rating on conversations", kSchemaV8},
  };
  return kMigrations;
}

int latest_schema_version() { return schema_migrations().back().version; }

int schema_version(SqliteConnection& connection) {
  Statement& query = connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  query.step();
  int version = static_cast<int>(query.int64(0));
  query.reset();
  return version;
}

void migrate(SqliteConnection& connection, Millis now) {
  ensure_version_table(connection);
  int found = schema_version(connection);
  if (found > latest_schema_version()) refuse_newer(connection, found);
  for (const Migration& migration : schema_migrations()) {
    if (applied(connection, migration.version)) continue;
    if (migration.rebuild != nullptr) {
      apply_rebuild(connection, migration, now);
    } else {
      apply(connection, migration, now);
    }
  }
  found = schema_version(connection);  // another process may have migrated further meanwhile
  if (found > latest_schema_version()) refuse_newer(connection, found);
}

}  // namespace switchboard::store::sqlite
