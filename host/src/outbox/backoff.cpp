#include "outbox/backoff.hpp"

#include <algorithm>

namespace switchboard::outbox {

int64_t backoff_delay_ms(const BackoffPolicy& policy, int64_t attempt, int64_t retry_after_ms, std::mt19937_64& rng) {
  int64_t exponent = std::clamp<int64_t>(attempt - 1, 0, 40);
  int64_t capped = policy.max_ms;
  if (exponent < 40 && policy.base_ms <= (policy.max_ms >> exponent)) capped = policy.base_ms << exponent;
  capped = std::min(capped, policy.max_ms);
  int64_t half = capped / 2;
  std::uniform_int_distribution<int64_t> jitter(0, capped - half);
  int64_t delay = half + jitter(rng);
  return std::max(delay, retry_after_ms);
}

}  // namespace switchboard::outbox
