// Leasing and returning read connections.
#include "store/sqlite/reader_pool.hpp"

namespace switchboard::store::sqlite {

ReaderPool::Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_));
}

ReaderPool::ReaderPool(std::filesystem::path file, std::size_t max_idle)
    : file_(std::move(file)), max_idle_(max_idle) {}

ReaderPool::Lease ReaderPool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<SqliteConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  // Opened outside the lock: a slow open must not stall other readers.
  auto connection = std::make_unique<SqliteConnection>(file_, ConnectionRole::Reader);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++opened_;
  }
  return Lease(*this, std::move(connection));
}

void ReaderPool::give_back(std::unique_ptr<SqliteConnection> connection) {
  // A statement left mid-result would pin an old snapshot and hold back
  // WAL checkpoints; a connection that cannot be cleaned is dropped.
  try {
    connection->reset_statements();
    if (connection->in_transaction()) connection->exec("ROLLBACK");
  } catch (...) {
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

std::size_t ReaderPool::idle_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return idle_.size();
}

std::size_t ReaderPool::opened_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return opened_;
}

}  // namespace switchboard::store::sqlite
