// Work that can wait — pipeline runs, outbox sends — yields the CPU to work
// someone is waiting for: the network threads that acknowledge webhooks and
// the store's writer that commits them. Under a burst the acknowledgements
// keep their pace and the backlog waits, durable, in the inbound log; on an
// idle machine the lower priority costs nothing.
#pragma once

namespace switchboard::app {

// Lowers the calling thread's scheduling priority (nice +10, Linux threads
// have their own) the first time a thread calls it; later calls are free.
// Failure is ignored: the work still runs, only without the yield.
void enter_background_priority();

}  // namespace switchboard::app
