// Background threads really lower their own scheduling priority and take
// their role's name, once, and leave every other thread's alone (Linux
// threads have their own nice value and name).
#include "app/background_priority.hpp"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <pthread.h>

#include <string>
#include <thread>

namespace {

int nice_of_this_thread() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

std::string name_of_this_thread() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

}  // namespace

TEST_CASE("enter_background_priority lowers the calling thread only") {
  int before = nice_of_this_thread();
  int inside = before;
  int again = before;
  std::string named;
  std::string renamed;
  std::string caller = name_of_this_thread();
  std::thread background([&] {
    switchboard::app::enter_background_priority("sb-pipeline-and-more");
    inside = nice_of_this_thread();
    named = name_of_this_thread();
    switchboard::app::enter_background_priority("sb-other");  // a second call changes nothing
    again = nice_of_this_thread();
    renamed = name_of_this_thread();
  });
  background.join();

  CHECK(inside == 19);
  CHECK(again == 19);
  CHECK(named == "sb-pipeline-and");  // Linux keeps 15 bytes
  CHECK(renamed == "sb-pipeline-and");
  CHECK(nice_of_this_thread() == before);
  CHECK(name_of_this_thread() == caller);
}
