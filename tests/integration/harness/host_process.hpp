// The real `switchboard run` as a child process: started with a config file
// and extra environment, considered up once it logs `listening on HOST:PORT`
// and `ready`. Its stderr is drained by a thread (so the child never blocks on
// a full pipe) and kept for failure messages.
// Threads: one test thread drives an instance; log() may be called from any.
#pragma once

#include <sys/types.h>

#include <boost/process.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::integration {

class HostProcess {
 public:
  using Environment = std::map<std::string, std::string>;

  // Starts the binary; throws std::runtime_error (with its log) when it does
  // not become ready within `startup`.
  HostProcess(const std::filesystem::path& config, const Environment& environment,
              std::chrono::milliseconds startup = std::chrono::seconds(15));
  // SIGKILLs a host that is still running.
  ~HostProcess();
  HostProcess(const HostProcess&) = delete;
  HostProcess& operator=(const HostProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return static_cast<pid_t>(child_.id()); }
  bool running();

  // kill -9, then reaps the process.
  void kill_hard();
  // SIGTERM and wait; returns the exit code, or -1 when it did not exit within
  // `deadline` (the process is then killed) or died of a signal.
  int terminate(std::chrono::milliseconds deadline = std::chrono::seconds(30));

  // Everything the host wrote to stderr so far.
  std::string log() const;
  // The last `lines` lines of log(), for failure messages.
  std::string log_tail(std::size_t lines = 40) const;

 private:
  void drain_stderr();
  bool wait_until_ready(std::chrono::milliseconds startup);
  void reap();

  boost::process::ipstream err_;
  boost::process::child child_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool eof_ = false;
  bool ready_ = false;
  int port_ = 0;
};

}  // namespace switchboard::integration
