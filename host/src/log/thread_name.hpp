// Names the host's threads after their role ("sb-writer", "sb-net", ...), so
// `top -H`, `ps -L`, perf and gdb tell the network threads, the store's
// writer and the background pools apart (docs/architecture.md, "Threads").
#pragma once

#include <string_view>

namespace switchboard::log {

// Names the calling thread; Linux keeps 15 bytes, the rest is cut. Failure
// is ignored: a name is a convenience, never a reason to stop.
void name_this_thread(std::string_view name);

}  // namespace switchboard::log
