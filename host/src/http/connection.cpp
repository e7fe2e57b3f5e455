#include "http/connection.hpp"

#include <httplib.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "http/header_json.hpp"
#include "http/http_errors.hpp"
#include "http/relay.hpp"
#include "http/webhook_path.hpp"
#include "log/logger.hpp"

namespace switchboard::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

// Request heads larger than this are refused (httplib's own line limits are
// of the same order); webhooks carry a few hundred bytes of headers.
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// A body over the limit is still read and dropped up to this many times the
// limit, so the client gets a clean 413 on a connection that stays in step.
constexpr std::uint64_t kDrainFactor = 4;

std::string_view view(beast::string_view text) { return {text.data(), text.size()}; }

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool quietly_ended(const error_code& error) {
  return error == bhttp::error::end_of_stream || error == net::error::eof || error == net::error::operation_aborted ||
         error == beast::error::timeout || error == net::error::connection_reset || error == net::error::bad_descriptor;
}

}  // namespace

void Connection::start(net::ip::tcp::socket socket, FrontContext& context) {
  auto connection = std::make_shared<Connection>(std::move(socket), context);
  std::weak_ptr<Connection> weak = connection;
  connection->live_.emplace(context.connections, [weak] {
    if (auto self = weak.lock()) net::post(self->stream_.get_executor(), [self] { self->on_stop(); });
  });
  net::dispatch(connection->stream_.get_executor(), [connection] { connection->read_head(); });
}

Connection::Connection(net::ip::tcp::socket socket, FrontContext& context)
    : stream_(std::move(socket)), context_(context) {
  error_code error;
  auto peer = stream_.socket().remote_endpoint(error);
  if (!error) remote_addr_ = peer.address().to_string();
  stream_.socket().set_option(net::ip::tcp::no_delay(true), error);
}

void Connection::read_head() {
  if (context_.stopping) return close();
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  std::uint64_t limit = context_.options.max_body_bytes;
  parser_->body_limit(limit > UINT64_MAX / kDrainFactor ? UINT64_MAX : limit * kDrainFactor);
  parser_->get().body().limit = context_.options.max_body_bytes;
  webhook_started_.reset();
  path_.clear();  // a refusal of an unparsable head must not log the previous request's path
  query_.clear();
  force_close_ = false;
  reading_head_ = true;
  // The first request gets the read timeout, a kept-alive connection the idle one.
  if (served_ == 0) {
    stream_.expires_after(std::chrono::milliseconds(context_.options.read_timeout_ms));
  } else {
    stream_.expires_after(std::chrono::seconds(context_.options.keep_alive_timeout_s));
  }
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](error_code error, std::size_t) { self->on_head(error); });
}

void Connection::on_head(error_code error) {
  reading_head_ = false;
  if (error) {
    if (quietly_ended(error)) return close();
    force_close_ = true;
    if (error == bhttp::error::body_limit) return refuse(413);
    return refuse(400, error.message());
  }
  const auto& request = parser_->get();
  std::string_view target = view(request.target());
  std::size_t mark = target.find('?');
  path_ = httplib::detail::decode_url(std::string(target.substr(0, mark)), false);
  query_ = mark == std::string_view::npos ? std::string() : std::string(target.substr(mark + 1));
  route_ = route_of(path_);
  if (route_ == Route::Relay) return relay();
  if (route_ == Route::Webhook) webhook_started_ = Clock::now();
  // A client that waits for "100 Continue" before sending its body gets it.
  if (starts_with_nocase(view(request[bhttp::field::expect]), "100-continue") && !parser_->is_done()) {
    auto go_on = std::make_shared<std::string>("HTTP/1.1 100 Continue\r\n\r\n");
    stream_.expires_after(std::chrono::milliseconds(context_.options.write_timeout_ms));
    return net::async_write(stream_, net::buffer(*go_on),
                            [self = shared_from_this(), go_on](error_code error, std::size_t) {
                              if (error) return self->close();
                              self->read_body();
                            });
  }
  read_body();
}

Connection::Route Connection::route_of(const std::string& path) const {
  bhttp::verb method = parser_->get().method();
  bool webhook_path = path == "/webhooks" || path.rfind("/webhooks/", 0) == 0;
  if (webhook_path) {
    bool allowed = method == bhttp::verb::get || method == bhttp::verb::post;
    return allowed ? Route::Webhook : Route::WebhookRefused;
  }
  if (method != bhttp::verb::get) return Route::Relay;
  if (path == "/healthz") return Route::Health;
  if (path == "/readyz") return Route::Ready;
  if (path == "/metrics") return Route::Metrics;
  return Route::Relay;
}

void Connection::read_body() {
  stream_.expires_after(std::chrono::milliseconds(context_.options.read_timeout_ms));
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](error_code error, std::size_t) { self->on_body(error); });
}

void Connection::on_body(error_code error) {
  stream_.expires_never();  // a handler may take its time; no I/O is pending meanwhile
  if (error) {
    force_close_ = true;
    if (error == bhttp::error::body_limit) return refuse(413);  // the rest is left on the wire
    if (quietly_ended(error)) return close();
    return refuse(400, "the request body could not be read: " + error.message());
  }
  if (parser_->get().body().over()) return refuse(413);
  serve();
}

void Connection::serve() {
  switch (route_) {
    case Route::Webhook: return serve_webhook();
    case Route::WebhookRefused: return refuse(405);
    case Route::Health: return answer(200, kTextPlain, "ok");
    case Route::Ready: return serve_readyz();
    case Route::Metrics: return answer(200, kPrometheusText, context_.metrics.registry.render());
    case Route::Relay: return relay();
  }
}

void Connection::serve_webhook() {
  const auto& request = parser_->get();
  auto path = parse_webhook_path(path_);
  if (!path) return refuse(404);
  if (starts_with_nocase(view(request[bhttp::field::content_type]), "multipart/form-data")) return refuse(415);

  std::vector<std::pair<std::string_view, std::string_view>> headers;
  for (const auto& field : request) headers.emplace_back(view(field.name_string()), view(field.value()));
  bool post = request.method() == bhttp::verb::post;
  WebhookRequest call{std::move(path->inbox),
                      post ? "POST" : "GET",
                      std::move(path->rest),
                      std::move(query_),
                      header_json(headers),
                      post ? std::move(parser_->get().body().data) : std::string(),
                      remote_addr_};
  call_handler(std::move(call));
}

void Connection::call_handler(WebhookRequest request) {
  // The answer may come from any thread (the store's writer, a worker).
  Responder respond = [self = shared_from_this()](WebhookResponse response) {
    net::dispatch(self->stream_.get_executor(),
                  [self, response = std::move(response)]() mutable { self->on_handler_answer(std::move(response)); });
  };
  WebhookHandler& handler = context_.webhooks;
  try {
    if (handler.handle_async(request, respond)) return;
  } catch (const std::exception& e) {
    return refuse(500, std::string("webhook handler threw: ") + e.what());
  } catch (...) {
    return refuse(500, "webhook handler threw a non-standard exception");
  }
  net::post(context_.workers, [self = shared_from_this(), &handler, request = std::move(request), respond] {
    try {
      respond(handler.handle(request));
    } catch (const std::exception& e) {
      net::dispatch(self->stream_.get_executor(),
                    [self, why = std::string(e.what())] { self->refuse(500, "webhook handler threw: " + why); });
    } catch (...) {
      net::dispatch(self->stream_.get_executor(),
                    [self] { self->refuse(500, "webhook handler threw a non-standard exception"); });
    }
  });
}

void Connection::on_handler_answer(WebhookResponse response) {
  if (response.status < 100 || response.status > 599) {
    return refuse(500, "webhook handler returned status " + std::to_string(response.status));
  }
  const std::string& type = response.content_type.empty() ? std::string(kTextPlain) : response.content_type;
  answer(response.status, type, std::move(response.body));
}

void Connection::serve_readyz() {
  Readiness readiness{true, {}};
  if (context_.readiness) {
    try {
      readiness = context_.readiness();
    } catch (const std::exception& e) {
      readiness = {false, std::string("readiness check failed: ") + e.what()};
    }
  }
  if (readiness.ready) return answer(200, kTextPlain, "ready");
  std::string reason = readiness.reason.empty() ? "not ready" : readiness.reason;
  log::warn("http", refusal_line("GET", path_, 503, reason, {}));
  answer(503, kJson, error_json(reason));
}

void Connection::relay() {
  // The head as read (Beast keeps the fields in order and spelling), then
  // whatever of the body or later requests is already buffered.
  std::ostringstream head;
  head << parser_->get().base();
  std::string already_read = head.str();
  auto buffered = buffer_.data();
  already_read.append(static_cast<const char*>(buffered.data()), buffered.size());
  stream_.expires_never();
  live_.reset();
  Relay::start(stream_.release_socket(), std::move(already_read), context_);
}

void Connection::refuse(int status, const std::string& detail) {
  std::string_view method = parser_ && parser_->is_header_done() ? view(parser_->get().method_string()) : "";
  std::string reason =
      status == 500 ? "internal error" : refusal_reason(path_, status, context_.options.max_body_bytes);
  log::warn("http", refusal_line(method, path_, status, reason, detail));
  answer(status, kJson, error_json(reason));
}

void Connection::answer(int status, const std::string& content_type, std::string body) {
  if (webhook_started_) context_.metrics.webhook_seconds.observe(Clock::now() - *webhook_started_);
  context_.metrics.http_requests(status).inc();
  ++served_;
  bool head_only = parser_ && parser_->is_header_done() && parser_->get().method() == bhttp::verb::head;
  bool keep_alive = !force_close_ && !context_.stopping && parser_ && parser_->is_header_done() &&
                    parser_->get().keep_alive() && served_ < context_.options.keep_alive_max_count;

  auto response = std::make_shared<bhttp::response<bhttp::string_body>>();
  response->version(11);
  response->result(static_cast<unsigned>(status));
  response->set(bhttp::field::content_type, content_type);
  if (status == 405) response->set(bhttp::field::allow, kWebhookMethods);
  response->keep_alive(keep_alive);
  std::size_t length = body.size();
  if (!head_only) response->body() = std::move(body);
  response->content_length(length);

  stream_.expires_after(std::chrono::milliseconds(context_.options.write_timeout_ms));
  bhttp::async_write(stream_, *response,
                     [self = shared_from_this(), response, keep_alive](error_code error, std::size_t) {
                       self->on_written(error, keep_alive);
                     });
}

void Connection::on_written(error_code error, bool keep_alive) {
  if (error || !keep_alive) return close();
  read_head();
}

void Connection::on_stop() {
  // Between requests nothing is owed to the client: close now. A request in
  // progress is answered first (answer() then closes the connection).
  if (reading_head_) close();
}

void Connection::close() {
  error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace switchboard::http
