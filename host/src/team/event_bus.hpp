// Live changes for agents' screens (the SSE stream): conversation events
// published by the desk, fanned out to every subscriber's bounded queue.
// A slow subscriber loses its oldest events, never blocks the publisher.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace switchboard::team {

class EventBus {
 public:
  class Subscription {
   public:
    // The next event, or nullopt after `wait` without one (time for a keep-alive).
    std::optional<nlohmann::json> next(std::chrono::milliseconds wait) {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!ready_.wait_for(lock, wait, [&] { return !events_.empty(); })) return std::nullopt;
      nlohmann::json event = std::move(events_.front());
      events_.pop_front();
      return event;
    }

   private:
    friend class EventBus;
    void push(const nlohmann::json& event) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (events_.size() >= kMaxQueued) events_.pop_front();
        events_.push_back(event);
      }
      ready_.notify_one();
    }
    static constexpr std::size_t kMaxQueued = 1000;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<nlohmann::json> events_;
  };

  std::shared_ptr<Subscription> subscribe() {
    auto subscription = std::make_shared<Subscription>();
    std::lock_guard<std::mutex> lock(mutex_);
    subscribers_.push_back(subscription);
    return subscription;
  }

  // Whether anyone is listening: lets publishers skip building an event
  // (a database read) when no screen is open.
  bool has_subscribers() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& weak : subscribers_) {
      if (!weak.expired()) return true;
    }
    return false;
  }

  void publish(const nlohmann::json& event) {
    std::vector<std::shared_ptr<Subscription>> live;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::vector<std::weak_ptr<Subscription>> kept;
      for (auto& weak : subscribers_) {
        if (auto strong = weak.lock()) live.push_back(strong), kept.push_back(weak);
      }
      subscribers_ = std::move(kept);
    }
    for (auto& subscription : live) subscription->push(event);
  }

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<Subscription>> subscribers_;
};

}  // namespace switchboard::team
