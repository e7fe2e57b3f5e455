// An eventfd stays readable once written, so a signal is never missed
// between a check of signalled() and the next poll().
#include "wakeup.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace switchboard::plugins::email {

Wakeup::Wakeup() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd_ < 0) throw std::runtime_error("eventfd failed");
}

Wakeup::~Wakeup() { ::close(fd_); }

void Wakeup::signal() {
  signalled_ = true;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof one);
}

bool Wakeup::wait(std::chrono::milliseconds timeout) const {
  if (signalled()) return true;
  pollfd p{fd_, POLLIN, 0};
  ::poll(&p, 1, static_cast<int>(timeout.count()));
  return signalled();
}

}  // namespace switchboard::plugins::email
