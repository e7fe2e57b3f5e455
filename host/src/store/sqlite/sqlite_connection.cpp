// Opening, configuring and closing SQLite connections.
#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <algorithm>

#include "store/sqlite/sqlite_error.hpp"

namespace switchboard::store::sqlite {

SqliteConnection::SqliteConnection(const std::filesystem::path& file, ConnectionRole role) : file_(file) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (role == ConnectionRole::Writer) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(file_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw SqliteError(rc, "sqlite: cannot open " + file_.string() + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    apply_pragmas(role);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  statements_.clear();  // finalize before close, or close fails with SQLITE_BUSY
  sqlite3_close(db_);
}

void SqliteConnection::apply_pragmas(ConnectionRole role) {
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  if (role == ConnectionRole::Reader) {
    exec("PRAGMA query_only=ON");
    return;
  }
  // journal_mode answers with the mode in force; a file system without
  // shared memory (some network mounts) keeps "delete", which we refuse.
  std::string mode;
  {
    Statement wal(db_, "PRAGMA journal_mode=WAL");
    if (wal.step()) mode = wal.text(0);
  }
  if (mode != "wal") {
    throw SqliteError(SQLITE_ERROR, "sqlite: cannot switch " + file_.string() + " to WAL mode (got '" + mode + "')");
  }
  exec("PRAGMA synchronous=FULL");
  // The group committer wraps every task in a savepoint, so SQLite keeps a
  // statement journal of the pages each task changes. By default that
  // journal spills past 64 KiB to a temp file created and deleted per
  // transaction, and its 64 KiB buffers make glibc trim the writer's heap
  // (madvise) on every batch; in memory it is a memcpy. It never needs to
  // survive a crash: the WAL holds what is committed.
  exec("PRAGMA temp_store=MEMORY");
  // Debian builds SQLite with SECURE_DELETE, which zeroes every deleted cell
  // and freed page at once. Status updates (an outbox row sending -> sent,
  // its partial-index entries, a message's status) delete cells all the
  // time; FAST still zeroes deleted content inside b-tree pages but leaves
  // freelist pages alone, and cut the cost of a send's writes in half
  // (56 -> 23 µs per message measured). Deletes that must leave no trace
  // run inside erasing().
  set_secure_delete(kRoutineSecureDelete);
  exec("PRAGMA foreign_keys=ON");
}

Statement& SqliteConnection::prepare(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    it = statements_.emplace(std::string(sql), std::make_unique<Statement>(db_, sql)).first;
  }
  it->second->reset();
  handed_out_.push_back(it->second.get());
  // A connection nobody resets (a tool's) must not grow the list forever.
  if (handed_out_.size() > 2 * statements_.size()) forget_repeats();
  return *it->second;
}

void SqliteConnection::forget_repeats() {
  std::sort(handed_out_.begin(), handed_out_.end());
  handed_out_.erase(std::unique(handed_out_.begin(), handed_out_.end()), handed_out_.end());
}

void SqliteConnection::exec(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return;
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  throw SqliteError(rc, "sqlite: " + text + " (" + file_.string() + ")");
}

void SqliteConnection::set_secure_delete(const char* pragma) noexcept {
  // Cannot fail: it only flips a flag of the open b-tree.
  sqlite3_exec(db_, pragma, nullptr, nullptr, nullptr);
}

int64_t SqliteConnection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int64_t SqliteConnection::changes() const { return sqlite3_changes64(db_); }

bool SqliteConnection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void SqliteConnection::reset_statements() {
  for (Statement* statement : handed_out_) statement->reset();
  handed_out_.clear();
}

}  // namespace switchboard::store::sqlite
