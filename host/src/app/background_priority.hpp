// Work that can wait — pipeline runs, outbox sends — yields the CPU to work
// someone is waiting for: the network threads that acknowledge webhooks and
// the store's writer that commits them. Under a burst the acknowledgements
// keep their pace and the backlog waits, durable, in the inbound log; on an
// idle machine the lower priority costs nothing.
#pragma once

#include <string_view>

namespace switchboard::app {

// Lowers the calling thread's scheduling priority to nice 19 (Linux threads
// have their own) and names the thread, the first time a thread calls it;
// later calls are free. Failure is ignored: the work still runs, only
// without the yield.
void enter_background_priority(std::string_view thread_name);

}  // namespace switchboard::app
