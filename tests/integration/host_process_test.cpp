// What an operator sees of a running host from outside: its threads named
// after their role (top -H, ps -L) and the allocator it logs at start-up,
// checked against what the process has actually mapped.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "harness/deployment.hpp"

using namespace switchboard::integration;

namespace {

std::set<std::string> thread_names(pid_t pid) {
  std::set<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) names.insert(name);
  }
  return names;
}

bool maps_library(pid_t pid, const std::string& fragment) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  for (std::string line; std::getline(maps, line);) {
    if (line.find(fragment) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a running host names its threads by role and logs the allocator it really uses") {
  Deployment deployment;
  auto host = deployment.start();

  std::set<std::string> names = thread_names(host->pid());
  for (const char* role : {"sb-net", "sb-writer", "sb-routes", "sb-feeder", "sb-outbox-timer"}) {
    CHECK_MESSAGE(names.count(role) == 1, role << " missing; threads: " << names.size());
  }

  std::string expected = maps_library(host->pid(), "libmimalloc") ? "allocator: mimalloc " : "allocator: glibc malloc";
  CHECK_MESSAGE(host->log().find(expected) != std::string::npos, host->log());
}
