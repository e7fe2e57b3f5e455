// Keeps glibc malloc from handing freed memory back to the kernel after
// every burst. The host's threads allocate and free per request and per
// group commit; with the default (dynamic) thresholds glibc trims and
// unmaps that memory and the next request faults it back in, which measured
// ~5 page faults per acknowledged webhook and a fifth of the writer thread's
// time (docs/benchmarks.md).
#pragma once

namespace switchboard::app {

// Fixes the trim and mmap thresholds; a no-op on other C libraries. Call
// once, early, before the worker threads start.
void tune_allocator();

}  // namespace switchboard::app
