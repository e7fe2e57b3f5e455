// mallopt() thresholds; see allocator_tuning.hpp for why.
#include "app/allocator_tuning.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace switchboard::app {

void tune_allocator() {
#if defined(__GLIBC__)
  // Free memory at the top of a heap is returned only past 64 MiB, and only
  // blocks of 16 MiB or more get their own mapping. Setting either also stops
  // glibc from moving the thresholds itself.
  mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
#endif
}

}  // namespace switchboard::app
