// Keep-alive HTTP clients to one origin, reused across sends. A channel that
// posts every reply to the same callback URL would otherwise open (and the far
// side accept) one TCP connection per reply; the pool keeps a few connections
// open and hands each to one sender at a time.
//
// Threads: post_json() from any number of threads at once; each call holds
// one client (one connection) for its duration.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "switchboard/plugins/http_delivery.hpp"

namespace httplib {
class Client;
}

namespace switchboard::plugins {

class HttpClientPool {
 public:
  // Idle connections beyond `max_idle` are closed when their send ends.
  static constexpr std::size_t kDefaultMaxIdle = 16;

  HttpClientPool(std::string origin, HttpPostOptions options, std::size_t max_idle = kDefaultMaxIdle);
  ~HttpClientPool();
  HttpClientPool(const HttpClientPool&) = delete;
  HttpClientPool& operator=(const HttpClientPool&) = delete;

  // post_json() (http_delivery.hpp) to origin + path over a pooled
  // connection: one attempt, so the outbox's attempt count stays the number
  // of sends the far side may have seen. A connection that failed is closed.
  HttpOutcome post_json(const std::string& path, const std::map<std::string, std::string>& headers,
                        const std::string& body);

  const std::string& origin() const { return origin_; }
  std::size_t connections_opened() const;  // clients created so far (observability, tests)

 private:
  std::unique_ptr<httplib::Client> acquire();
  void release(std::unique_ptr<httplib::Client> client);
  std::unique_ptr<httplib::Client> open();

  std::string origin_;
  HttpPostOptions options_;
  std::size_t max_idle_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<httplib::Client>> idle_;
  std::size_t opened_ = 0;
};

}  // namespace switchboard::plugins
