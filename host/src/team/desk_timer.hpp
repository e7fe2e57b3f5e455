// Calls Desk::tick() every interval on its own thread: snoozed
// conversations wake and queued ones get agents even when no API call or
// message happens. Timers live in the database, so a restart loses none.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "log/logger.hpp"
#include "log/thread_name.hpp"
#include "team/desk.hpp"

namespace switchboard::team {

class DeskTimer {
 public:
  DeskTimer(Desk& desk, std::chrono::milliseconds interval) : desk_(desk), interval_(interval) {}
  ~DeskTimer() { stop(); }
  DeskTimer(const DeskTimer&) = delete;
  DeskTimer& operator=(const DeskTimer&) = delete;

  void start() {
    thread_ = std::thread([this] {
      log::name_this_thread("sb-desk-timer");
      run();
    });
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      try {
        desk_.tick();
      } catch (const std::exception& e) {
        log::error("desk", std::string("rebalance failed: ") + e.what());
      }
      lock.lock();
    }
  }

  Desk& desk_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchboard::team
