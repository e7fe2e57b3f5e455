// The ceiling of a durable ack on cpp-httplib: bare_server's settings, but
// every POST is handed to one committer thread and its pool thread waits
// until the batch holding it is on disk, as the host's webhook threads wait
// for the group commit. The committer appends one line per request to a file
// and fdatasync()s once per batch; no SQLite, no plugin, no JSON. So
// handoff/bare is the best host/bare the host can reach with this server
// model on the machine (docs/benchmarks.md).
// Usage: handoff_server PORT FILE   (serves on 127.0.0.1 until killed)
#include <fcntl.h>
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

// Mirrors HttpServerOptions' defaults (host/src/http/http_server.hpp).
constexpr std::size_t kThreads = 64;
constexpr std::size_t kMaxBodyBytes = 1024 * 1024;
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kWriteTimeoutSeconds = 5;
constexpr std::size_t kKeepAliveMaxCount = 1000;
constexpr time_t kKeepAliveTimeoutSeconds = 5;
constexpr int kListenBacklog = 1024;

// One writer thread, group commit: what GroupCommitter does, minus SQLite.
class Committer {
 public:
  explicit Committer(int fd) : fd_(fd), thread_([this] { loop(); }) {}

  void commit(std::string line) {
    std::future<void> done;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back({std::move(line), {}});
      done = queue_.back().done.get_future();
    }
    wake_.notify_one();
    done.get();
  }

 private:
  struct Task {
    std::string line;
    std::promise<void> done;
  };

  void loop() {
    for (;;) {
      std::deque<Task> batch;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return !queue_.empty(); });
        batch.swap(queue_);
      }
      std::string text;
      for (const Task& task : batch) text += task.line;
      if (::write(fd_, text.data(), text.size()) < 0 || ::fdatasync(fd_) != 0) std::perror("handoff_server: write");
      for (Task& task : batch) task.done.set_value();
    }
  }

  int fd_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PORT FILE\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]);
  int fd = ::open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::perror("open");
    return 1;
  }
  Committer committer(fd);

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
  server.Post("/webhooks/demo", [&committer](const httplib::Request& req, httplib::Response& res) {
    committer.commit(std::to_string(req.body.size()) + "\n");
    res.set_content("{\"ok\":true}", "application/json");
  });

  if (!server.bind_to_port("127.0.0.1", port)) {
    std::perror("bind");
    return 1;
  }
  ::listen(listen_socket, kListenBacklog);  // httplib listens with a backlog of 5
  std::fprintf(stderr, "handoff_server: listening on 127.0.0.1:%d\n", port);
  return server.listen_after_bind() ? 0 : 1;
}
