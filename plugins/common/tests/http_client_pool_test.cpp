// HttpClientPool against a real cpp-httplib server on loopback: connections
// are reused across sends, concurrent sends get their own, and a connection
// the server closed is replaced without failing the send.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <switchboard/plugins/http_client_pool.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using switchboard::plugins::Delivery;
using switchboard::plugins::HttpClientPool;
using switchboard::plugins::HttpPostOptions;

namespace {

// Answers 200 and remembers which client ports (= connections) it saw.
class Receiver {
 public:
  explicit Receiver(int keep_alive_max_count = 100) {
    server_.set_keep_alive_max_count(static_cast<std::size_t>(keep_alive_max_count));
    // As keep-alive servers do (nginx's tcp_nodelay): otherwise the server's
    // own two-write answers wait for the client's delayed ACK.
    server_.set_tcp_nodelay(true);
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ports_.insert(req.remote_port);
      }
      ++hits;
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::size_t connections() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return ports_.size();
  }

  std::atomic<int> hits{0};

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::set<int> ports_;
};

}  // namespace

TEST_CASE("sequential sends reuse one keep-alive connection") {
  Receiver receiver;
  HttpClientPool pool(receiver.origin(), HttpPostOptions{});
  for (int i = 0; i < 20; ++i) {
    auto outcome = pool.post_json("/hook", {{"X-Test", "1"}}, "{\"n\":" + std::to_string(i) + "}");
    REQUIRE(outcome.delivery == Delivery::Delivered);
  }
  CHECK(receiver.hits == 20);
  CHECK(receiver.connections() == 1);
  CHECK(pool.connections_opened() == 1);
}

TEST_CASE("sends on a kept-alive connection are not held back by Nagle's algorithm") {
  // Headers and body go out in two writes; without TCP_NODELAY every send on
  // a reused connection waits ~40 ms for the peer's delayed ACK.
  Receiver receiver;
  HttpClientPool pool(receiver.origin(), HttpPostOptions{});
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) REQUIRE(pool.post_json("/hook", {}, "{\"n\":1}").delivery == Delivery::Delivered);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1500));  // 50 x 40 ms = 2 s
  CHECK(receiver.connections() == 1);
}

TEST_CASE("concurrent sends each hold their own connection, and keep them for later") {
  Receiver receiver;
  HttpClientPool pool(receiver.origin(), HttpPostOptions{});
  std::vector<std::thread> senders;
  std::atomic<int> delivered{0};
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (pool.post_json("/hook", {}, "{}").delivery == Delivery::Delivered) ++delivered;
      }
    });
  }
  for (auto& s : senders) s.join();
  CHECK(delivered == 100);
  CHECK(pool.connections_opened() <= 4);
  CHECK(receiver.connections() == pool.connections_opened());
}

TEST_CASE("a connection the server closes is replaced and the send still succeeds") {
  Receiver receiver(2);  // the server closes each connection after two requests
  HttpClientPool pool(receiver.origin(), HttpPostOptions{});
  for (int i = 0; i < 6; ++i) REQUIRE(pool.post_json("/hook", {}, "{}").delivery == Delivery::Delivered);
  CHECK(receiver.hits == 6);
  CHECK(receiver.connections() == 3);
}

TEST_CASE("an unreachable origin is a transient failure, not an exception") {
  // A port that was free a moment ago; nothing listens there now.
  int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(probe >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(probe);
  int port = ntohs(address.sin_port);
  HttpPostOptions options;
  options.connect_timeout = std::chrono::milliseconds(500);
  HttpClientPool pool("http://127.0.0.1:" + std::to_string(port), options);
  auto outcome = pool.post_json("/hook", {}, "{}");
  CHECK(outcome.delivery == Delivery::Retry);
  CHECK(outcome.status == 0);
  CHECK_FALSE(outcome.error.empty());
}
