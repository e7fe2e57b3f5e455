#include "harness/host_process.hpp"

#include <signal.h>

#include <cctype>
#include <stdexcept>

namespace switchboard::integration {

namespace bp = boost::process;

namespace {

const std::filesystem::path kBinary = SWITCHBOARD_BINARY;

// The port of a "listening on 127.0.0.1:PORT" line, 0 when the line is another.
int listening_port(const std::string& line) {
  const std::string marker = "listening on ";
  std::size_t at = line.find(marker);
  if (at == std::string::npos) return 0;
  std::size_t end = at + marker.size();
  while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end]))) ++end;
  std::size_t colon = line.rfind(':', end);
  if (colon == std::string::npos || colon < at) return 0;
  int port = 0;
  for (std::size_t i = colon + 1; i < end && std::isdigit(static_cast<unsigned char>(line[i])); ++i) {
    port = port * 10 + (line[i] - '0');
  }
  return port;
}

bp::environment child_environment(const HostProcess::Environment& extra) {
  bp::environment environment = boost::this_process::environment();
  for (const auto& [name, value] : extra) environment[name] = value;
  return environment;
}

}  // namespace

HostProcess::HostProcess(const std::filesystem::path& config, const Environment& environment,
                         std::chrono::milliseconds startup)
    : child_(kBinary.string(), bp::args({"run", "--config", config.string()}), child_environment(environment),
             bp::std_out > bp::null, bp::std_err > err_, bp::std_in < bp::null) {
  reader_ = std::thread([this] { drain_stderr(); });
  if (!wait_until_ready(startup)) {
    std::string tail = log_tail();
    kill_hard();
    throw std::runtime_error("switchboard run did not log 'listening on' and 'ready' in time; its stderr:\n" + tail);
  }
}

HostProcess::~HostProcess() {
  if (running()) kill_hard();
  reap();
}

void HostProcess::drain_stderr() {
  for (std::string line; std::getline(err_, line);) {
    std::lock_guard lock(mutex_);
    if (int port = listening_port(line); port != 0 && port_ == 0) port_ = port;
    if (port_ != 0 && line.find("ready") != std::string::npos) ready_ = true;
    lines_.push_back(std::move(line));
    changed_.notify_all();
  }
  std::lock_guard lock(mutex_);
  eof_ = true;
  changed_.notify_all();
}

bool HostProcess::wait_until_ready(std::chrono::milliseconds startup) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, startup, [this] { return ready_ || eof_; }) && ready_;
}

bool HostProcess::running() {
  std::error_code ignored;
  return child_.valid() && child_.running(ignored);
}

void HostProcess::kill_hard() {
  if (running()) ::kill(pid(), SIGKILL);
  std::error_code ignored;
  child_.wait(ignored);
  reap();
}

int HostProcess::terminate(std::chrono::milliseconds deadline) {
  if (!running()) {
    reap();
    return child_.exit_code();
  }
  ::kill(pid(), SIGTERM);
  auto until = std::chrono::steady_clock::now() + deadline;
  while (running()) {
    if (std::chrono::steady_clock::now() > until) {
      kill_hard();
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reap();
  int native = child_.native_exit_code();
  return WIFEXITED(native) ? WEXITSTATUS(native) : -1;
}

// Joins the stderr reader once the child is gone (its pipe then reaches EOF).
void HostProcess::reap() {
  if (reader_.joinable()) reader_.join();
}

std::string HostProcess::log() const {
  std::lock_guard lock(mutex_);
  std::string text;
  for (const auto& line : lines_) text += line + "\n";
  return text;
}

std::string HostProcess::log_tail(std::size_t lines) const {
  std::lock_guard lock(mutex_);
  std::size_t first = lines_.size() > lines ? lines_.size() - lines : 0;
  std::string text;
  for (std::size_t i = first; i < lines_.size(); ++i) text += lines_[i] + "\n";
  return text;
}

}  // namespace switchboard::integration
