// The other end of the api channel's callback_url: a cpp-httplib server on
// 127.0.0.1, port 0, that records every POST it gets (in arrival order) and
// answers as the test scripts it — a status, a Retry-After, or hanging first.
// Threads: the server's pool calls the handler; tests call the rest from any
// thread.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::integration {

// One POST the host made.
struct Delivery {
  int seq = 0;  // arrival order, from 0
  std::chrono::steady_clock::time_point at;
  std::string outbox_id;    // "id"
  std::string in_reply_to;  // the channel message id it answers
  std::string user_id;
  std::string text;
  bool signature_ok = false;
  bool well_formed = false;  // JSON with the four string fields
  int answered = 0;          // the status this receiver answered with
  bool acknowledged() const { return answered >= 200 && answered < 300; }
};

// How to answer one delivery.
struct Answer {
  int status = 200;
  std::string retry_after;  // Retry-After header value, none when empty
  std::string body;
  std::chrono::milliseconds hang{0};  // wait this long before answering
};

class CallbackReceiver {
 public:
  // Decides the answer to each delivery; called under no lock, from the
  // server's threads, with the delivery already numbered.
  using Script = std::function<Answer(const Delivery&)>;

  explicit CallbackReceiver(std::string secret);
  ~CallbackReceiver();
  CallbackReceiver(const CallbackReceiver&) = delete;
  CallbackReceiver& operator=(const CallbackReceiver&) = delete;

  int port() const { return port_; }
  // The callback_url to configure: http://127.0.0.1:PORT/hook
  std::string url() const;
  void set_script(Script script);

  std::vector<Delivery> deliveries() const;
  // Waits until `done(deliveries())` holds; false on timeout.
  bool wait_until(const std::function<bool(const std::vector<Delivery>&)>& done, std::chrono::milliseconds deadline);

 private:
  void handle(const httplib::Request& request, httplib::Response& response);
  void pause(std::chrono::milliseconds duration);

  std::string secret_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Delivery> deliveries_;
  Script script_;
};

}  // namespace switchboard::integration
