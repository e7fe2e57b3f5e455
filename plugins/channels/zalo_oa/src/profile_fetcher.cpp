// The contact_update carries fill_only: a fetched display name fills an
// empty contact name but never overwrites what the user submitted.
#include "profile_fetcher.hpp"

#include <stdexcept>

namespace switchboard::plugins::zalo_oa {

using sdk::Json;

void ProfileFetcher::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this] { loop(); });
}

void ProfileFetcher::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void ProfileFetcher::seen(const std::string& user) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || remembered_.count(user) > 0 || queue_.size() >= kMaxQueue) return;
    if (remembered_.size() >= kMaxRemembered) remembered_.clear();  // the kv marker still holds
    remembered_.insert(user);
    queue_.push_back(user);
  }
  wake_.notify_one();
}

Json ProfileFetcher::event_for(const std::string& user, const Json& data) {
  Json sender = {{"id", user}};
  std::string name = data.value("display_name", "");
  std::string avatar = data.value("avatar", "");
  if (!name.empty()) sender["name"] = name;
  if (!avatar.empty()) sender["avatar"] = avatar;
  if (data.contains("user_is_follower") && data["user_is_follower"].is_boolean()) {
    sender["zalo_follower"] = data["user_is_follower"];
  }
  return {{"id", "profile:" + user}, {"type", "contact_update"}, {"sender", sender},
          {"interaction", false},    {"fill_only", true},        {"source", "zalo_user_detail"}};
}

void ProfileFetcher::loop() {
  for (;;) {
    std::string user;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      user = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      handle(user);
    } catch (const std::exception& e) {
      ctx_.warn("profile of user " + user + " not stored: " + e.what());
      std::lock_guard<std::mutex> lock(mutex_);
      remembered_.erase(user);  // try again when the user writes next
    }
  }
}

void ProfileFetcher::handle(const std::string& user) {
  std::string marker = "profile:" + user;
  if (ctx_.kv_get(marker)) return;  // fetched before a restart
  std::optional<Json> data = fetch_(user);
  if (!data) throw std::runtime_error("user/detail failed");
  ctx_.submit_inbound(event_for(user, *data));
  ctx_.kv_set(marker, "1");
}

}  // namespace switchboard::plugins::zalo_oa
