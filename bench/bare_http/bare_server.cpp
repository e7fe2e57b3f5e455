// The baseline for the webhook benchmark: cpp-httplib answering 200 to
// POST /webhooks/demo and doing nothing else, with the same pool and socket
// settings as http::HttpServer, so host/bare isolates the host's own work.
// Usage: bare_server PORT   (serves on 127.0.0.1 until killed)
#include <httplib.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// Mirrors HttpServerOptions' defaults (host/src/http/http_server.hpp).
constexpr std::size_t kThreads = 64;
constexpr std::size_t kMaxBodyBytes = 1024 * 1024;
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kWriteTimeoutSeconds = 5;
constexpr std::size_t kKeepAliveMaxCount = 1000;
constexpr time_t kKeepAliveTimeoutSeconds = 5;
constexpr int kListenBacklog = 1024;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]);

  httplib::Server server;
  // httplib deletes the queue; its API takes a raw pointer, so `new` it is.
  server.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  socket_t listen_socket = -1;
  server.set_socket_options([&listen_socket](socket_t socket) {
    int yes = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket = socket;
  });
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(kMaxBodyBytes);
  server.set_read_timeout(kReadTimeoutSeconds, 0);
  server.set_write_timeout(kWriteTimeoutSeconds, 0);
  server.set_keep_alive_max_count(kKeepAliveMaxCount);
  server.set_keep_alive_timeout(kKeepAliveTimeoutSeconds);
  server.Post("/webhooks/demo",
              [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });

  if (!server.bind_to_port("127.0.0.1", port)) {
    std::perror("bind");
    return 1;
  }
  ::listen(listen_socket, kListenBacklog);  // httplib listens with a backlog of 5
  std::fprintf(stderr, "bare_server: listening on 127.0.0.1:%d\n", port);
  return server.listen_after_bind() ? 0 : 1;
}
