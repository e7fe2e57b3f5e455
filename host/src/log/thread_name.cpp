#include "log/thread_name.hpp"

#include <pthread.h>

#include <string>

namespace switchboard::log {

void name_this_thread(std::string_view name) {
  constexpr std::size_t kLinuxLimit = 15;  // TASK_COMM_LEN minus the terminating NUL
  std::string kept(name.substr(0, kLinuxLimit));
  pthread_setname_np(pthread_self(), kept.c_str());
}

}  // namespace switchboard::log
