// One client connection of the front: reads a request head, then either
// serves it here (webhooks, /healthz, /readyz, /metrics) or hands the
// connection to a Relay for the route server. A webhook's body is read
// bounded, the handler is called, and the connection waits — holding no
// thread — until the handler responds; then the answer is written and the
// next request read (keep-alive). Everything of one connection runs on its
// strand.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/bounded_body.hpp"
#include "http/front_context.hpp"

namespace switchboard::http {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `socket`'s executor must be a strand.
  static void start(boost::asio::ip::tcp::socket socket, FrontContext& context);

  Connection(boost::asio::ip::tcp::socket socket, FrontContext& context);

 private:
  using Clock = std::chrono::steady_clock;
  using Parser = boost::beast::http::request_parser<BoundedBody>;

  // What the request asks of the front, decided from its head.
  enum class Route { Webhook, WebhookRefused, Health, Ready, Metrics, Relay };

  void read_head();
  void on_head(boost::beast::error_code error);
  Route route_of(const std::string& path) const;
  void read_body();
  void on_body(boost::beast::error_code error);
  void serve();
  void serve_webhook();
  void call_handler(WebhookRequest request);
  void on_handler_answer(WebhookResponse response);
  void serve_readyz();
  void relay();
  void refuse(int status, const std::string& detail = {});
  void answer(int status, const std::string& content_type, std::string body);
  void on_written(boost::beast::error_code error, bool keep_alive);
  void on_stop();
  void close();

  boost::beast::tcp_stream stream_;
  FrontContext& context_;
  std::string remote_addr_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::string path_;   // percent-decoded, without the query
  std::string query_;  // raw, without '?'
  Route route_ = Route::Relay;
  std::optional<Clock::time_point> webhook_started_;  // set for GET/POST under /webhooks: observed in webhook_seconds
  bool force_close_ = false;                          // the request left the connection out of step
  bool reading_head_ = false;                         // idle between requests: stop() may close it at once
  std::size_t served_ = 0;
  std::optional<LiveSet::Entry> live_;
};

}  // namespace switchboard::http
