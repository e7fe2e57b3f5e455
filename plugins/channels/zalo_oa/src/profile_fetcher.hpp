// Fetches display name and avatar of users seen for the first time
// (GET /v3.0/oa/user/detail) on a background thread and hands them to the
// host as a contact_update event. The webhook never waits for it: on_http
// only queues the user id, so a slow or failing Zalo never delays an
// acknowledgement or a message. "Once per user" is kept in the instance's
// key-value store (profile:<user id>), so a restart does not refetch; a
// failed fetch is retried the next time the user writes.
//
// Threads: seen() from any thread; one worker thread between start and stop.
#pragma once

#include <switchboard/sdk.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace switchboard::plugins::zalo_oa {

class ProfileFetcher {
 public:
  // Returns the user/detail "data" object, or nullopt (failure, logged).
  using Fetch = std::function<std::optional<sdk::Json>(const std::string& user)>;
  static constexpr std::size_t kMaxQueue = 10000;
  static constexpr std::size_t kMaxRemembered = 100000;

  ProfileFetcher(sdk::InstanceContext ctx, Fetch fetch) : ctx_(ctx), fetch_(std::move(fetch)) {}
  ~ProfileFetcher() { stop(); }

  void start();
  void stop();
  void seen(const std::string& user);

  // The event submitted for a fetched profile (public for tests).
  static sdk::Json event_for(const std::string& user, const sdk::Json& data);

 private:
  void loop();
  void handle(const std::string& user);

  sdk::InstanceContext ctx_;
  Fetch fetch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  std::set<std::string> remembered_;  // queued or done in this process
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace switchboard::plugins::zalo_oa
