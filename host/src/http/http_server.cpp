// HttpServer: the Beast front (acceptor, network threads, Connection per
// client) and the RouteServer behind it, started and stopped together.
#include "http/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "http/connection.hpp"
#include "http/front_context.hpp"
#include "http/http_errors.hpp"
#include "http/route_server.hpp"
#include "log/logger.hpp"
#include "log/thread_name.hpp"

namespace switchboard::http {
namespace {

namespace net = boost::asio;
using boost::system::error_code;
using net::ip::tcp;

std::size_t io_threads_for(const HttpServerOptions& options) {
  if (options.io_threads > 0) return options.io_threads;
  // The network threads never wait, and the store's writer (which commits
  // every acknowledged webhook) needs a core of its own: half the cores.
  return std::clamp<std::size_t>(std::thread::hardware_concurrency() / 2, 1, 4);
}

// The route server listens on loopback only; everything else is the front's.
HttpServerOptions route_options(const HttpServerOptions& front) {
  HttpServerOptions options = front;
  options.host = "127.0.0.1";
  options.port = 0;
  return options;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, WebhookHandler& webhooks, metrics::HostMetrics& metrics, ReadinessCheck readiness)
      : options_(std::move(options)),
        readiness_(std::move(readiness)),
        io_(static_cast<int>(io_threads_for(options_))),
        keep_running_(io_.get_executor()),
        acceptor_(net::make_strand(io_)),
        retry_(acceptor_.get_executor()),
        workers_(std::max<std::size_t>(options_.threads, 1)),
        routes_(route_options(options_), webhooks, metrics, readiness_),
        context_{options_, webhooks, metrics, readiness_, workers_} {}

  ~Impl() {
    stop();
    workers_.join();
  }

  std::uint16_t bind() {
    std::lock_guard<std::mutex> lock(lifecycle_mutex_);
    return bind_locked();
  }

  void start() {
    std::lock_guard<std::mutex> lock(lifecycle_mutex_);
    if (state_ == State::Idle) bind_locked();
    if (state_ != State::Bound) throw HttpServerError("http server: start() after stop() or twice");
    routes_.start();
    net::post(acceptor_.get_executor(), [this] { accept(); });
    std::size_t threads = io_threads_for(options_);
    for (std::size_t i = 0; i < threads; ++i) {
      io_threads_.emplace_back([this] {
        log::name_this_thread("sb-net");
        io_.run();
      });
    }
    state_ = State::Running;
    log::info("http", "listening on " + address_text(options_.host, port_.load()));
  }

  void stop() {
    std::lock_guard<std::mutex> lock(lifecycle_mutex_);
    if (state_ == State::Running) {
      stop_running();
      log::info("http", "stopped");
    } else if (state_ == State::Bound) {
      error_code ignored;
      acceptor_.close(ignored);
      routes_.stop();
    }
    state_ = State::Stopped;
  }

  std::uint16_t port() const { return port_; }

 private:
  enum class State { Idle, Bound, Running, Stopped };

  std::uint16_t bind_locked() {
    if (state_ != State::Idle) throw HttpServerError("http server: bind() called twice or after stop()");
    error_code error;
    tcp::endpoint endpoint = resolve(error);
    if (!error) acceptor_.open(endpoint.protocol(), error);
    // SO_REUSEADDR only (never SO_REUSEPORT): a restart binds through
    // TIME_WAIT, a second process on a taken port still fails.
    if (!error) acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(options_.listen_backlog, error);
    if (error) {
      error_code ignored;
      acceptor_.close(ignored);
      throw HttpServerError("cannot listen on " + address_text(options_.host, options_.port) + ": " + error.message());
    }
    port_ = acceptor_.local_endpoint().port();
    context_.route_port = routes_.bind();
    state_ = State::Bound;
    return port_;
  }

  tcp::endpoint resolve(error_code& error) {
    tcp::resolver resolver(io_);
    auto results = resolver.resolve(options_.host, std::to_string(options_.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, error);
    if (error) return {};
    if (results.empty()) {
      error = net::error::host_not_found;
      return {};
    }
    return results.begin()->endpoint();
  }

  void accept() {
    acceptor_.async_accept(net::make_strand(io_), [this](error_code error, tcp::socket socket) {
      if (error == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (error) {
        // Out of file descriptors, typically: wait a little instead of spinning.
        log::warn("http", "accept failed: " + error.message());
        retry_.expires_after(std::chrono::milliseconds(50));
        retry_.async_wait([this](error_code waited) {
          if (!waited) accept();
        });
        return;
      }
      Connection::start(std::move(socket), context_);
      accept();
    });
  }

  void stop_running() {
    context_.stopping = true;
    std::promise<void> closed;
    net::post(acceptor_.get_executor(), [this, &closed] {
      error_code ignored;
      acceptor_.close(ignored);
      retry_.cancel();
      closed.set_value();
    });
    closed.get_future().wait();
    // Idle connections close now; requests in progress are answered first.
    context_.connections.close_all();
    context_.connections.wait_until_empty();
    // The route server finishes its requests while the relays still carry
    // them; then whatever it left open is closed.
    routes_.stop();
    context_.relays.close_all();
    context_.relays.wait_until_empty();
    keep_running_.reset();
    io_.stop();
    for (auto& thread : io_threads_) thread.join();
    io_threads_.clear();
  }

  HttpServerOptions options_;
  ReadinessCheck readiness_;
  net::io_context io_;
  // The network threads must keep running while a connection has no I/O
  // pending (its handler is still working): only stop() ends them.
  net::executor_work_guard<net::io_context::executor_type> keep_running_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  net::thread_pool workers_;
  RouteServer routes_;
  FrontContext context_;

  std::mutex lifecycle_mutex_;  // bind/start/stop
  State state_ = State::Idle;
  std::atomic<std::uint16_t> port_{0};
  std::vector<std::thread> io_threads_;
};

HttpServer::HttpServer(HttpServerOptions options, WebhookHandler& webhooks, metrics::HostMetrics& metrics,
                       ReadinessCheck readiness)
    : impl_(std::make_unique<Impl>(std::move(options), webhooks, metrics, std::move(readiness))) {}

HttpServer::~HttpServer() {
  try {
    impl_->stop();
  } catch (const std::exception& e) {
    log::error("http", std::string("stop failed: ") + e.what());
  }
}

std::uint16_t HttpServer::bind() { return impl_->bind(); }
void HttpServer::start() { impl_->start(); }
void HttpServer::stop() { impl_->stop(); }
std::uint16_t HttpServer::port() const { return impl_->port(); }

}  // namespace switchboard::http
