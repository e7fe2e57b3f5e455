#include "app/background_priority.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include "log/thread_name.hpp"

namespace switchboard::app {

namespace {
// CFS weight 15 against 1024 for nice 0: a contended core gives it ~1.5 %.
constexpr int kBackgroundNice = 19;
}  // namespace

void enter_background_priority(std::string_view thread_name) {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  log::name_this_thread(thread_name);
  // PRIO_PROCESS with a thread id sets that thread's nice value only (Linux).
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kBackgroundNice);
}

}  // namespace switchboard::app
