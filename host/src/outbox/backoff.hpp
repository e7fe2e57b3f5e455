// Retry delays for transient send failures: exponential, capped, jittered
// ("equal jitter": half the delay fixed, half random) so a platform outage
// does not end in every queued reply retrying at the same instant.
#pragma once

#include <cstdint>
#include <random>

namespace switchboard::outbox {

struct BackoffPolicy {
  int64_t base_ms = 1000;
  int64_t max_ms = 600000;
  int64_t max_attempts = 12;  // sends of one row before it is dead-lettered
};

// Delay after the `attempt`-th failed send (1-based). A platform's
// Retry-After (retry_after_ms >= 0) wins when it asks for longer.
int64_t backoff_delay_ms(const BackoffPolicy& policy, int64_t attempt, int64_t retry_after_ms, std::mt19937_64& rng);

}  // namespace switchboard::outbox
