// RouteServer over cpp-httplib 0.11.4 (Debian's compiled build). That version
// needs a few corrections, made here (the tests pin all but the last two):
//  - its default socket options set SO_REUSEPORT, so a second process could
//    bind a taken port without an error; we set SO_REUSEADDR only;
//  - it checks the body limit only against Content-Length, reads chunked
//    bodies whole, answers 413 for form-urlencoded bodies over 8 KiB and
//    parses multipart bodies away. So every method with a body is routed to a
//    content-reader handler here and we read bodies ourselves, raw and bounded;
//  - headers and body go out in two writes, so TCP_NODELAY is on to keep
//    Nagle's algorithm and delayed ACKs from adding 40 ms to keep-alive requests;
//  - it listens with a backlog of 5; bind() listens again with listen_backlog.
#include "http/route_server.hpp"

#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "http/header_json.hpp"
#include "http/http_errors.hpp"
#include "http/webhook_path.hpp"
#include "log/logger.hpp"
#include "log/thread_name.hpp"

namespace switchboard::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kWebhookPattern = "/webhooks/.*";  // httplib matches the whole (decoded) path
// Everything the installed routes (HttpServerOptions::routes) do not own:
// httplib tries body-reading routes like these first, so they must not
// swallow /api/.
constexpr const char* kAnyPath = "(?!/api/).*";

// How reading a request body went. `drained`: the whole body was taken off
// the connection, so the next request on it can be parsed.
struct BodyRead {
  enum Outcome { Complete, TooLarge, Multipart, Failed } outcome;
  bool drained;
};

// An oversized chunked body is still read (and dropped) up to this many times
// the limit, so the client gets a clean 413 on a connection that stays in
// step; past it, reading stops and the rest is left on the wire.
constexpr std::size_t kDrainFactor = 4;

// httplib adds these to every request's headers; the client never sent them.
bool is_httplib_pseudo_header(std::string_view name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT";
}

std::string query_of(const std::string& target) {
  std::size_t mark = target.find('?');
  return mark == std::string::npos ? std::string() : target.substr(mark + 1);
}

// Observes the time from construction to destruction.
class LatencyTimer {
 public:
  explicit LatencyTimer(metrics::Histogram& histogram) : histogram_(histogram) {}
  ~LatencyTimer() { histogram_.observe(Clock::now() - started_); }
  LatencyTimer(const LatencyTimer&) = delete;
  LatencyTimer& operator=(const LatencyTimer&) = delete;

 private:
  metrics::Histogram& histogram_;
  Clock::time_point started_ = Clock::now();
};

}  // namespace

class RouteServer::Impl {
 public:
  Impl(HttpServerOptions options, WebhookHandler& webhooks, metrics::HostMetrics& metrics, ReadinessCheck readiness)
      : options_(std::move(options)), webhooks_(webhooks), metrics_(metrics), readiness_(std::move(readiness)) {
    configure();
    install_routes();
  }

  std::uint16_t bind() {
    std::lock_guard<std::mutex> lock(lifecycle_mutex_);
    return bind_locked();
  }

  void start() {
    std::lock_guard<std::mutex> lock(lifecycle_mutex_);
    if (state_ == State::Idle) bind_locked();
    if (state_ != State::Bound) throw HttpServerError("http server: start() after stop() or twice");
    listener_ = std::thread([this] {
      log::name_this_thread("sb-routes");
      accept_loop();
    });
    // httplib (0.11.4) has no "ready" signal; is_running() turns true as the
    // accept loop begins, and stop() only works from then on.
    while (!server_.is_running() && !listener_done_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!server_.is_running()) {
      listener_.join();
      state_ = State::Stopped;
      throw HttpServerError("http server on " + address_text(options_.host, port_.load()) + " could not start");
    }
    state_ = State::Running;
    log::debug("http", "routes served behind the front on " + address_text(options_.host, port_.load()));
  }

  void stop() {
    std::lock_guard<std::mutex> lock(lifecycle_mutex_);
    if (state_ == State::Running) {
      server_.stop();
      listener_.join();  // returns once the pool has finished every queued and in-flight connection
      log::info("http", "stopped");
    } else if (state_ == State::Bound) {
      ::close(listen_socket_);  // httplib neither closes a socket it never served nor lets us ask it to
    }
    state_ = State::Stopped;
  }

  std::uint16_t port() const { return port_.load(); }

 private:
  enum class State { Idle, Bound, Running, Stopped };

  void configure() {
    // httplib owns and deletes the queue; its API takes a raw pointer from
    // this factory, so the `new` cannot be avoided.
    std::size_t threads = options_.threads;
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_socket_options([this](socket_t socket) {
      int yes = 1;
      ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_socket_ = socket;
    });
    server_.set_tcp_nodelay(true);
    server_.set_payload_max_length(options_.max_body_bytes);
    server_.set_read_timeout(options_.read_timeout_ms / 1000, (options_.read_timeout_ms % 1000) * 1000);
    server_.set_write_timeout(options_.write_timeout_ms / 1000, (options_.write_timeout_ms % 1000) * 1000);
    server_.set_keep_alive_max_count(options_.keep_alive_max_count);
    server_.set_keep_alive_timeout(options_.keep_alive_timeout_s);
  }

  void install_routes() {
    using Request = httplib::Request;
    using Response = httplib::Response;
    using Reader = httplib::ContentReader;

    server_.Get("/healthz", [](const Request&, Response& res) { res.set_content("ok", kTextPlain); });
    server_.Get("/readyz", [this](const Request& req, Response& res) { serve_readyz(req, res); });
    server_.Get("/metrics", [this](const Request&, Response& res) {
      res.set_content(metrics_.registry.render(), kPrometheusText);
    });
    server_.Get(kWebhookPattern, [this](const Request& req, Response& res) { serve_webhook_get(req, res); });
    server_.Options(kWebhookPattern, [this](const Request& req, Response& res) { refuse(req, res, 405); });
    // DELETE reaches these plain handlers or the content-reader ones below,
    // depending on whether httplib expects a body.
    server_.Delete(kWebhookPattern, [this](const Request& req, Response& res) { refuse(req, res, 405); });

    server_.Post(kWebhookPattern, [this](const Request& req, Response& res, const Reader& reader) {
      serve_webhook_post(req, res, reader);
    });
    auto refuse_405 = [this](const Request& req, Response& res, const Reader& reader) {
      refuse_with_body(req, res, reader, 405);
    };
    server_.Put(kWebhookPattern, refuse_405);
    server_.Patch(kWebhookPattern, refuse_405);
    server_.Delete(kWebhookPattern, refuse_405);
    for (const auto& install : options_.routes) install(server_);
    auto refuse_404 = [this](const Request& req, Response& res, const Reader& reader) {
      refuse_with_body(req, res, reader, 404);
    };
    server_.Post(kAnyPath, refuse_404);
    server_.Put(kAnyPath, refuse_404);
    server_.Patch(kAnyPath, refuse_404);
    server_.Delete(kAnyPath, refuse_404);

    server_.set_error_handler(
        httplib::Server::HandlerWithResponse([this](const Request& req, Response& res) { return on_error(req, res); }));
    server_.set_exception_handler([this](const Request& req, Response& res, std::exception_ptr error) {
      reject(req, res, 500, "internal error", log::describe(error));
    });
    server_.set_logger([this](const Request&, const Response& res) { metrics_.http_requests(res.status).inc(); });
  }

  std::uint16_t bind_locked() {
    if (state_ != State::Idle) throw HttpServerError("http server: bind() called twice or after stop()");
    errno = 0;
    int port = options_.port == 0 ? server_.bind_to_any_port(options_.host)
                                  : (server_.bind_to_port(options_.host, options_.port) ? options_.port : -1);
    if (port <= 0) {
      int error = errno;
      std::string reason = error != 0 ? std::generic_category().message(error) : "host cannot be resolved or bound";
      throw HttpServerError("cannot listen on " + address_text(options_.host, options_.port) + ": " + reason);
    }
    if (::listen(listen_socket_, options_.listen_backlog) != 0) {
      log::warn("http", "could not raise the listen backlog: " + std::generic_category().message(errno));
    }
    port_ = static_cast<std::uint16_t>(port);
    state_ = State::Bound;
    return port_;
  }

  void accept_loop() {
    if (!server_.listen_after_bind()) log::error("http", "accept loop failed; no new connections are taken");
    listener_done_ = true;
  }

  void serve_readyz(const httplib::Request& req, httplib::Response& res) {
    Readiness readiness{true, {}};
    if (readiness_) {
      try {
        readiness = readiness_();
      } catch (const std::exception& e) {
        readiness = {false, std::string("readiness check failed: ") + e.what()};
      }
    }
    if (readiness.ready) {
      res.set_content("ready", kTextPlain);
      return;
    }
    reject(req, res, 503, readiness.reason.empty() ? "not ready" : readiness.reason);
  }

  void serve_webhook_get(const httplib::Request& req, httplib::Response& res) {
    if (req.method == "HEAD") return refuse(req, res, 405);
    LatencyTimer timer(metrics_.webhook_seconds);
    auto path = parse_webhook_path(req.path);
    if (!path) return refuse(req, res, 404);
    dispatch(req, res, std::move(*path), {});
  }

  void serve_webhook_post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    LatencyTimer timer(metrics_.webhook_seconds);
    std::string body;
    BodyRead read = read_body(req, res, reader, &body);
    auto path = parse_webhook_path(req.path);
    if (!path) return refuse_after_read(req, res, read, 404);
    if (read.outcome != BodyRead::Complete) return refuse_after_read(req, res, read, 0);
    dispatch(req, res, std::move(*path), std::move(body));
  }

  void dispatch(const httplib::Request& req, httplib::Response& res, WebhookPath path, std::string body) {
    WebhookRequest request{std::move(path.inbox), req.method,      std::move(path.rest), query_of(req.target),
                           headers_of(req),       std::move(body), req.remote_addr};
    WebhookResponse response;
    try {
      response = handle_blocking(webhooks_, request);
    } catch (const std::exception& e) {
      return reject(req, res, 500, "internal error", std::string("webhook handler threw: ") + e.what());
    } catch (...) {
      return reject(req, res, 500, "internal error", "webhook handler threw a non-standard exception");
    }
    if (response.status < 100 || response.status > 599) {
      return reject(req, res, 500, "internal error",
                    "webhook handler returned status " + std::to_string(response.status));
    }
    res.status = response.status;
    res.set_content(response.body, response.content_type.empty() ? kTextPlain : response.content_type);
  }

  static std::string headers_of(const httplib::Request& req) {
    std::vector<std::pair<std::string_view, std::string_view>> headers;
    headers.reserve(req.headers.size());
    for (const auto& [name, value] : req.headers) {
      if (!is_httplib_pseudo_header(name)) headers.emplace_back(name, value);
    }
    return header_json(headers);
  }

  // Reads the body through `reader`, raw, into `keep` (or nowhere, to drain
  // it). Past max_body_bytes nothing more is kept.
  BodyRead read_body(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader,
                     std::string* keep) {
    const std::size_t limit = options_.max_body_bytes;
    const std::size_t drain_limit = limit > SIZE_MAX / kDrainFactor ? SIZE_MAX : limit * kDrainFactor;
    std::size_t received = 0;
    bool too_large = false;
    auto receive = [&](const char* data, std::size_t size) {
      received = size > SIZE_MAX - received ? SIZE_MAX : received + size;
      if (received > limit) {
        too_large = true;
        if (keep) keep->clear();
        return received <= drain_limit;
      }
      if (keep) keep->append(data, size);
      return true;
    };
    bool multipart = req.is_multipart_form_data();
    bool ok = multipart ? reader([](const httplib::MultipartFormData&) { return true; }, receive) : reader(receive);
    // httplib refuses a Content-Length over the limit itself (413), after
    // skipping the declared bytes.
    bool refused_by_length = !ok && !too_large && res.status == 413;
    if (too_large || refused_by_length) return {BodyRead::TooLarge, ok || refused_by_length};
    if (!ok) return {BodyRead::Failed, false};
    // httplib only hands multipart bodies over parsed, never raw.
    return {multipart ? BodyRead::Multipart : BodyRead::Complete, true};
  }

  void refuse_with_body(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader,
                        int status) {
    refuse_after_read(req, res, read_body(req, res, reader, nullptr), status);
  }

  // Refuses with `status`, or (status 0) with the body's own problem. When
  // part of the body is still on the wire the connection cannot carry another
  // request, so the client is asked to close it.
  void refuse_after_read(const httplib::Request& req, httplib::Response& res, BodyRead read, int status) {
    if (!read.drained) res.set_header("Connection", "close");
    if (status != 0) return refuse(req, res, status);
    switch (read.outcome) {
      case BodyRead::TooLarge: return refuse(req, res, 413);
      case BodyRead::Multipart: return refuse(req, res, 415);
      case BodyRead::Failed: return reject(req, res, 400, "the request body could not be read");
      case BodyRead::Complete: return;
    }
  }

  void refuse(const httplib::Request& req, httplib::Response& res, int status) {
    reject(req, res, status, refusal_reason(req.path, status, options_.max_body_bytes));
  }

  // httplib calls this for every response with status >= 400. Routes always
  // set a Content-Type, so one without it is an error httplib made itself
  // (no route, 413 by Content-Length, unparsable request, …).
  httplib::Server::HandlerResponse on_error(const httplib::Request& req, httplib::Response& res) {
    if (res.has_header("Content-Type")) return httplib::Server::HandlerResponse::Unhandled;
    refuse(req, res, res.status);
    return httplib::Server::HandlerResponse::Handled;
  }

  // An error the server itself makes: JSON body, one log line. `detail` goes
  // to the log only.
  void reject(const httplib::Request& req, httplib::Response& res, int status, const std::string& reason,
              const std::string& detail = {}) {
    res.status = status;
    res.set_content(error_json(reason), kJson);
    if (status == 405) res.set_header("Allow", kWebhookMethods);
    std::string line = refusal_line(req.method, req.path, status, reason, detail);
    log::warn("http", line);
  }

  HttpServerOptions options_;
  WebhookHandler& webhooks_;
  metrics::HostMetrics& metrics_;
  ReadinessCheck readiness_;
  httplib::Server server_;

  std::mutex lifecycle_mutex_;  // bind/start/stop
  State state_ = State::Idle;
  std::atomic<std::uint16_t> port_{0};
  socket_t listen_socket_ = -1;  // written by the socket-options hook during bind
  std::thread listener_;
  std::atomic<bool> listener_done_{false};
};

RouteServer::RouteServer(HttpServerOptions options, WebhookHandler& webhooks, metrics::HostMetrics& metrics,
                         ReadinessCheck readiness)
    : impl_(std::make_unique<Impl>(std::move(options), webhooks, metrics, std::move(readiness))) {}

RouteServer::~RouteServer() {
  try {
    impl_->stop();
  } catch (const std::exception& e) {
    log::error("http", std::string("route server: stop failed: ") + e.what());
  }
}

std::uint16_t RouteServer::bind() { return impl_->bind(); }
void RouteServer::start() { impl_->start(); }
void RouteServer::stop() { impl_->stop(); }
std::uint16_t RouteServer::port() const { return impl_->port(); }

}  // namespace switchboard::http
