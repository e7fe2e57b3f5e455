// Allocator detection and mallopt() thresholds; see allocator_tuning.hpp for why.
#include "app/allocator_tuning.hpp"

#include <dlfcn.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace switchboard::app {
namespace {

// mimalloc exports mi_version(); found in the global scope only when the
// executable was linked with it, which is also when it overrides malloc.
int mimalloc_version() {
  using VersionFn = int (*)();
  void* symbol = dlsym(RTLD_DEFAULT, "mi_version");
  if (symbol == nullptr) return 0;
  return reinterpret_cast<VersionFn>(symbol)();
}

}  // namespace

std::string allocator_name() {
  if (int version = mimalloc_version(); version > 0) {
    // 209 is 2.0.9 (mimalloc.h: MI_MALLOC_VERSION, one digit each).
    return "mimalloc " + std::to_string(version / 100) + "." + std::to_string(version / 10 % 10) + "." +
           std::to_string(version % 10);
  }
#if defined(__GLIBC__)
  return "glibc malloc";
#else
  return "system malloc";
#endif
}

void tune_allocator() {
  if (mimalloc_version() > 0) return;
#if defined(__GLIBC__)
  // Free memory at the top of a heap is returned only past 64 MiB, and only
  // blocks of 16 MiB or more get their own mapping. Setting either also stops
  // glibc from moving the thresholds itself.
  mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
#endif
}

}  // namespace switchboard::app
