#include "app/background_priority.hpp"

#include <sys/resource.h>
#include <unistd.h>

namespace switchboard::app {

namespace {
// CFS weight 110 against 1024 for nice 0: about a tenth of a contended core.
constexpr int kBackgroundNice = 19;
}  // namespace

void enter_background_priority() {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  // PRIO_PROCESS with a thread id sets that thread's nice value only (Linux).
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kBackgroundNice);
}

}  // namespace switchboard::app
