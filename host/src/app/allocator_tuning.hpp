// The process allocator. The executable links mimalloc (host/CMakeLists.txt)
// when it is available: the host allocates and frees small objects per
// request on every thread (parsed headers, JSON, callbacks), which glibc
// serves from shared arenas with locks and consolidation passes; mimalloc's
// thread-local free lists cut the host's CPU per acknowledged webhook
// (docs/benchmarks.md). Without it (tests, other builds) glibc's thresholds
// are fixed instead: with the default dynamic ones glibc trims and unmaps
// memory after every burst and the next request faults it back in (~5 page
// faults per acknowledged webhook measured).
#pragma once

#include <string>

namespace switchboard::app {

// Which allocator serves malloc in this process: "mimalloc <version>" or
// "glibc malloc" (or "system malloc" on other C libraries).
std::string allocator_name();

// Fixes glibc's trim and mmap thresholds; a no-op under mimalloc or other C
// libraries. Call once, early, before the worker threads start.
void tune_allocator();

}  // namespace switchboard::app
