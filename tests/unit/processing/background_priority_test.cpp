// Background threads really lower their own scheduling priority, once, and
// leave every other thread's alone (Linux threads have their own nice value).
#include "app/background_priority.hpp"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <thread>

namespace {

int nice_of_this_thread() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

}  // namespace

TEST_CASE("enter_background_priority lowers the calling thread only") {
  int before = nice_of_this_thread();
  int inside = before;
  int again = before;
  std::thread background([&] {
    switchboard::app::enter_background_priority();
    inside = nice_of_this_thread();
    switchboard::app::enter_background_priority();  // a second call changes nothing
    again = nice_of_this_thread();
  });
  background.join();

  CHECK(inside == 19);
  CHECK(again == 19);
  CHECK(nice_of_this_thread() == before);
}
