// The connections (or relays) a server has open, so stop() can tell each to
// close and wait until the last one is gone. Any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace switchboard::http {

class LiveSet {
 public:
  // Called by close_all(); must not block (post the work to the member's strand).
  using Closer = std::function<void()>;

  // Membership for the lifetime of the object that holds it.
  class Entry {
   public:
    Entry(LiveSet& set, Closer close) : set_(set), id_(set.add(std::move(close))) {}
    ~Entry() { set_.remove(id_); }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

   private:
    LiveSet& set_;
    std::uint64_t id_;
  };

  void close_all() {
    std::map<std::uint64_t, Closer> members;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      members = members_;
    }
    for (auto& [id, close] : members) close();
  }

  void wait_until_empty() {
    std::unique_lock<std::mutex> lock(mutex_);
    empty_.wait(lock, [this] { return members_.empty(); });
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return members_.size();
  }

 private:
  std::uint64_t add(Closer close) {
    std::lock_guard<std::mutex> lock(mutex_);
    members_.emplace(next_id_, std::move(close));
    return next_id_++;
  }

  void remove(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    members_.erase(id);
    if (members_.empty()) empty_.notify_all();
  }

  mutable std::mutex mutex_;
  std::condition_variable empty_;
  std::map<std::uint64_t, Closer> members_;
  std::uint64_t next_id_ = 0;
};

}  // namespace switchboard::http
