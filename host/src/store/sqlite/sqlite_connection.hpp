// One SQLite connection (RAII over sqlite3*) with the pragmas Switchboard
// relies on and a cache of prepared statements keyed by SQL text.
//
// Threads: a connection is used by one thread at a time (opened NOMUTEX).
// The writer connection belongs to the GroupCommitter's thread; a reader
// connection belongs to whoever holds its ReaderPool lease.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sqlite/statement.hpp"

struct sqlite3;

namespace switchboard::store::sqlite {

enum class ConnectionRole {
  Writer,  // WAL, synchronous=FULL, foreign keys: every commit is on disk before it returns
  Reader,  // query_only: a bug cannot make a reader write behind the writer's back
};

class SqliteConnection {
 public:
  static constexpr int kBusyTimeoutMs = 5000;

  // Opens (the writer creates) the file and applies the role's pragmas;
  // throws SqliteError naming the file when it cannot.
  SqliteConnection(const std::filesystem::path& file, ConnectionRole role);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // The cached statement for `sql`, reset with no bindings. Do not use the
  // same SQL twice at once (nested loops): both uses share one statement.
  Statement& prepare(std::string_view sql);

  // Runs SQL text without parameters (schema scripts, pragmas).
  void exec(const std::string& sql);

  int64_t last_insert_rowid() const;
  int64_t changes() const;  // rows changed by the last INSERT/UPDATE/DELETE
  bool in_transaction() const;

  // Resets every cached statement prepared since the last call: ends reads
  // left open by an early return or exception, so transactions can end and
  // checkpoints are not held back.
  void reset_statements();

  const std::filesystem::path& file() const { return file_; }

  // Runs `work` with secure_delete=ON: what it deletes is zeroed everywhere
  // in the file, freed pages included. For deletes that must leave no trace
  // (erasing a contact, purging old conversations); the writer otherwise
  // runs with FAST (see apply_pragmas).
  template <class Work>
  auto erasing(Work&& work) -> decltype(work()) {
    struct Restore {
      SqliteConnection& connection;
      ~Restore() { connection.set_secure_delete(kRoutineSecureDelete); }
    };
    set_secure_delete(kThoroughSecureDelete);
    Restore restore{*this};
    return work();
  }

 private:
  static constexpr const char* kRoutineSecureDelete = "PRAGMA secure_delete=FAST";
  static constexpr const char* kThoroughSecureDelete = "PRAGMA secure_delete=ON";

  void apply_pragmas(ConnectionRole role);
  void set_secure_delete(const char* pragma) noexcept;
  void forget_repeats();

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
  // Handed out by prepare() since the last reset_statements(): the writer
  // resets after every task, and walking all cached statements each time
  // cost more than the task's own SQL bookkeeping.
  std::vector<Statement*> handed_out_;
};

}  // namespace switchboard::store::sqlite
