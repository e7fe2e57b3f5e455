// A local stand-in for the Zalo Open API and OAuth v4 servers, following
// the spec exactly: POST /v3.0/oa/message/cs and GET /v3.0/oa/user/detail
// with the access_token header, answering HTTP 200 with "error" != 0 for
// Zalo errors; POST /v4/oa/access_token with the secret_key header and a
// form body, rotating a single-use refresh token. cpp-httplib on loopback.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace zalo_test {

using Json = nlohmann::json;

class ZaloStandIn {
 public:
  ZaloStandIn(std::string app_id, std::string app_secret, std::string access, std::string refresh)
      : app_id_(std::move(app_id)),
        app_secret_(std::move(app_secret)),
        access_(std::move(access)),
        refresh_(std::move(refresh)) {
    server_.Post("/v3.0/oa/message/cs", [this](const httplib::Request& req, httplib::Response& res) { cs(req, res); });
    server_.Get("/v3.0/oa/user/detail",
                [this](const httplib::Request& req, httplib::Response& res) { detail(req, res); });
    server_.Post("/v4/oa/access_token",
                 [this](const httplib::Request& req, httplib::Response& res) { token(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~ZaloStandIn() {
    server_.stop();
    thread_.join();
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The next CS calls answer these errors (HTTP 200, {"error", "message"}), in order.
  void fail_next(int error, const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_.push_back({error, message});
  }
  void fail_http_next(int status) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_.push_back({status, "<http>"});
  }

  // After `successes` more successful CS calls, the next one answers this error.
  void fail_after(int successes, int error, const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    fail_after_ = successes;
    delayed_failure_ = {error, message};
  }

  std::vector<Json> sent() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sent_;
  }
  std::vector<std::string> tokens_used() {
    std::lock_guard<std::mutex> lock(mutex_);
    return tokens_used_;
  }
  std::string access() {
    std::lock_guard<std::mutex> lock(mutex_);
    return access_;
  }
  std::string refresh_token() {
    std::lock_guard<std::mutex> lock(mutex_);
    return refresh_;
  }
  // Makes the current access token invalid (Zalo: -216), as after expiry.
  void revoke_access() {
    std::lock_guard<std::mutex> lock(mutex_);
    access_ = "revoked-" + access_;
  }

  std::atomic<int> refresh_calls{0};
  std::atomic<int> refused_refreshes{0};
  std::atomic<int> detail_calls{0};
  std::atomic<int> refresh_delay_ms{0};
  std::atomic<bool> detail_fails{false};
  std::string last_detail_user;

 private:
  static void answer(httplib::Response& res, const Json& body) { res.set_content(body.dump(), "application/json"); }
  static Json error(int code, const std::string& message) { return {{"error", code}, {"message", message}}; }

  void cs(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex_);
    tokens_used_.push_back(req.get_header_value("access_token"));
    if (req.get_header_value("access_token") != access_) return answer(res, error(-216, "Access token is invalid"));
    if (fail_after_ == 0) failures_.push_back(delayed_failure_);
    if (fail_after_ >= 0) --fail_after_;
    if (!failures_.empty()) {
      auto [code, message] = failures_.front();
      failures_.pop_front();
      if (message == "<http>") {
        res.status = code;
        return res.set_content("upstream error", "text/plain");
      }
      return answer(res, error(code, message));
    }
    Json body = Json::parse(req.body);
    sent_.push_back(body);
    std::string id = "msg" + std::to_string(sent_.size());
    answer(res, {{"data",
                  {{"quota", {{"quota_type", "reply"}, {"remain", "8"}, {"total", "8"}}},
                   {"message_id", id},
                   {"user_id", body["recipient"]["user_id"]},
                   {"sent_time", "1626926349402"}}},
                 {"error", 0},
                 {"message", "Success"}});
  }

  void detail(const httplib::Request& req, httplib::Response& res) {
    ++detail_calls;
    std::lock_guard<std::mutex> lock(mutex_);
    if (req.get_header_value("access_token") != access_) return answer(res, error(-216, "Access token is invalid"));
    Json data = Json::parse(req.get_param_value("data"), nullptr, false);
    if (detail_fails || !data.is_object()) return answer(res, error(-201, "user_id is invalid"));
    last_detail_user = data.value("user_id", "");
    answer(res, {{"data",
                  {{"user_id", last_detail_user},
                   {"user_id_by_app", "7000000000000000001"},
                   {"display_name", "Nguyễn Thị Lan"},
                   {"user_alias", ""},
                   {"is_sensitive", false},
                   {"user_last_interaction_date", "22/11/2026"},
                   {"user_is_follower", true},
                   {"avatar", "https://s120-ava-talk.zadn.vn/a.jpg"},
                   {"avatars", {{"120", "https://s120-ava-talk.zadn.vn/a.jpg"}}}}},
                 {"error", 0},
                 {"message", "Success"}});
  }

  void token(const httplib::Request& req, httplib::Response& res) {
    ++refresh_calls;
    if (refresh_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(refresh_delay_ms.load()));
    std::lock_guard<std::mutex> lock(mutex_);
    if (req.get_header_value("secret_key") != app_secret_) {
      res.status = 404;  // reported behaviour without the secret_key header
      return res.set_content("empty api", "text/plain");
    }
    bool form = req.get_header_value("Content-Type").find("application/x-www-form-urlencoded") == 0;
    if (!form || req.get_param_value("grant_type") != "refresh_token" || req.get_param_value("app_id") != app_id_ ||
        req.get_param_value("refresh_token") != refresh_) {
      ++refused_refreshes;
      return answer(
          res,
          {{"error", -14014}, {"error_name", "Invalid refresh token"}, {"error_description", "Invalid refresh token"}});
    }
    ++generation_;
    access_ = "access-" + std::to_string(generation_);
    refresh_ = "refresh-" + std::to_string(generation_);  // the old one is spent
    answer(res, {{"access_token", access_}, {"refresh_token", refresh_}, {"expires_in", "90000"}});
  }

  std::string app_id_;
  std::string app_secret_;
  std::mutex mutex_;
  std::string access_;
  std::string refresh_;
  int generation_ = 0;
  std::deque<std::pair<int, std::string>> failures_;
  int fail_after_ = -1;
  std::pair<int, std::string> delayed_failure_;
  std::vector<Json> sent_;
  std::vector<std::string> tokens_used_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace zalo_test
