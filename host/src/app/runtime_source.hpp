// Where the long-lived services find the current Runtime. SIGHUP swaps in a
// new one; work that already holds the old snapshot finishes with it, and
// the old runtime is destroyed when its last user lets go.
#pragma once

#include <memory>
#include <mutex>

#include "app/runtime.hpp"

namespace switchboard::app {

class RuntimeSource {
 public:
  std::shared_ptr<const Runtime> current() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return runtime_;
  }
  void replace(std::shared_ptr<const Runtime> runtime) {
    std::lock_guard<std::mutex> lock(mutex_);
    runtime_ = std::move(runtime);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Runtime> runtime_;
};

}  // namespace switchboard::app
