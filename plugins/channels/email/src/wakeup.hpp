// A stop signal a thread can both poll() on (with a socket) and sleep on.
#pragma once

#include <atomic>
#include <chrono>

namespace switchboard::plugins::email {

// Thread-safe: any thread may signal(); one thread waits.
class Wakeup {
 public:
  Wakeup();
  ~Wakeup();
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  void signal();
  bool signalled() const { return signalled_.load(); }
  int fd() const { return fd_; }
  // Sleeps up to `timeout`; true when signalled.
  bool wait(std::chrono::milliseconds timeout) const;

 private:
  int fd_;
  std::atomic<bool> signalled_{false};
};

}  // namespace switchboard::plugins::email
