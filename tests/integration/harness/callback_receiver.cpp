#include "harness/callback_receiver.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "harness/signature.hpp"

namespace switchboard::integration {

namespace {

// Enough threads that a hanging answer never stalls the other deliveries.
constexpr std::size_t kServerThreads = 32;

void read_payload(const std::string& body, Delivery& delivery) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) return;
  auto text_of = [&json](const char* key, std::string& out) {
    if (!json.contains(key) || !json[key].is_string()) return false;
    out = json[key].get<std::string>();
    return true;
  };
  bool complete = text_of("id", delivery.outbox_id);
  complete = text_of("in_reply_to", delivery.in_reply_to) && complete;
  complete = text_of("user_id", delivery.user_id) && complete;
  complete = text_of("text", delivery.text) && complete;
  delivery.well_formed = complete;
}

}  // namespace

CallbackReceiver::CallbackReceiver(std::string secret) : secret_(std::move(secret)) {
  server_.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server_.Post("/hook",
               [this](const httplib::Request& request, httplib::Response& response) { handle(request, response); });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("callback receiver: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

CallbackReceiver::~CallbackReceiver() {
  stopping_ = true;
  changed_.notify_all();
  server_.stop();
  thread_.join();
}

std::string CallbackReceiver::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

void CallbackReceiver::set_script(Script script) {
  std::lock_guard lock(mutex_);
  script_ = std::move(script);
}

void CallbackReceiver::handle(const httplib::Request& request, httplib::Response& response) {
  Delivery delivery;
  read_payload(request.body, delivery);
  delivery.signature_ok =
      request.get_header_value("X-Switchboard-Signature") == signature_header(secret_, request.body);
  Script script;
  {
    std::lock_guard lock(mutex_);
    delivery.seq = static_cast<int>(deliveries_.size());
    delivery.at = std::chrono::steady_clock::now();
    deliveries_.push_back(delivery);
    script = script_;
  }
  Answer answer = script ? script(delivery) : Answer{};
  pause(answer.hang);
  response.status = answer.status;
  if (!answer.retry_after.empty()) response.set_header("Retry-After", answer.retry_after);
  response.set_content(answer.body, "text/plain");
  {
    std::lock_guard lock(mutex_);
    deliveries_[static_cast<std::size_t>(delivery.seq)].answered = answer.status;
  }
  changed_.notify_all();
}

// Sleeps, but gives up early when the receiver is being destroyed.
void CallbackReceiver::pause(std::chrono::milliseconds duration) {
  if (duration.count() <= 0) return;
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, duration, [this] { return stopping_.load(); });
}

std::vector<Delivery> CallbackReceiver::deliveries() const {
  std::lock_guard lock(mutex_);
  return deliveries_;
}

bool CallbackReceiver::wait_until(const std::function<bool(const std::vector<Delivery>&)>& done,
                                  std::chrono::milliseconds deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, deadline, [&] { return done(deliveries_); });
}

}  // namespace switchboard::integration
