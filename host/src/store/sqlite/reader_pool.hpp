// Read connections. WAL lets any number of readers run beside the writer,
// each seeing the last committed state, so reads never queue behind writes.
// A caller leases a connection for one read and gives it back; idle ones are
// kept (up to `max_idle`) so their prepared statements are reused.
//
// Why a pool and not one connection per thread: thread_local connections
// would outlive the store (the threads belong to the HTTP server and the
// processing strands) and could not be closed when the store is destroyed.
// The pool never makes a reader wait: with no idle connection it opens one.
// Concurrency is bounded by the callers' own thread counts.
//
// Threads: acquire() from any thread; a Lease is used by one thread. Every
// lease must be returned before the pool is destroyed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"

namespace switchboard::store::sqlite {

class ReaderPool {
 public:
  static constexpr std::size_t kDefaultMaxIdle = 8;

  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), connection_(std::move(other.connection_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    SqliteConnection& operator*() const { return *connection_; }
    SqliteConnection* operator->() const { return connection_.get(); }

   private:
    friend class ReaderPool;
    Lease(ReaderPool& pool, std::unique_ptr<SqliteConnection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    ReaderPool* pool_;
    std::unique_ptr<SqliteConnection> connection_;
  };

  ReaderPool(std::filesystem::path file, std::size_t max_idle = kDefaultMaxIdle);

  Lease acquire();

  std::size_t idle_count() const;
  std::size_t opened_count() const;  // connections opened so far (reuse shows as a small number)

 private:
  void give_back(std::unique_ptr<SqliteConnection> connection);

  const std::filesystem::path file_;
  const std::size_t max_idle_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
  std::size_t opened_ = 0;
};

}  // namespace switchboard::store::sqlite
