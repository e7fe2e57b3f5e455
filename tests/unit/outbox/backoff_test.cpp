// Retry delays: exponential, capped, jittered within [half, full], and a
// platform's Retry-After wins when it asks for longer.
#include <doctest/doctest.h>

#include <set>

#include "outbox/backoff.hpp"

using switchboard::outbox::backoff_delay_ms;
using switchboard::outbox::BackoffPolicy;

TEST_CASE("backoff doubles per attempt with jitter between half and the full delay") {
  BackoffPolicy policy{1000, 600000, 12};
  std::mt19937_64 rng(42);
  for (int attempt = 1; attempt <= 6; ++attempt) {
    int64_t full = 1000LL << (attempt - 1);
    for (int i = 0; i < 200; ++i) {
      int64_t d = backoff_delay_ms(policy, attempt, -1, rng);
      CHECK(d >= full / 2);
      CHECK(d <= full);
    }
  }
}

TEST_CASE("backoff is capped, also for huge attempt counts") {
  BackoffPolicy policy{1000, 30000, 100};
  std::mt19937_64 rng(7);
  for (int attempt : {6, 10, 63, 64, 1000}) {
    int64_t d = backoff_delay_ms(policy, attempt, -1, rng);
    CHECK(d >= 15000);
    CHECK(d <= 30000);
  }
}

TEST_CASE("jitter spreads retries: not every delay is the same") {
  BackoffPolicy policy{1000, 600000, 12};
  std::mt19937_64 rng(1);
  std::set<int64_t> seen;
  for (int i = 0; i < 50; ++i) seen.insert(backoff_delay_ms(policy, 4, -1, rng));
  CHECK(seen.size() > 10);
}

TEST_CASE("Retry-After wins when it asks for longer than the backoff") {
  BackoffPolicy policy{100, 1000, 12};
  std::mt19937_64 rng(3);
  CHECK(backoff_delay_ms(policy, 1, 7000, rng) == 7000);
  CHECK(backoff_delay_ms(policy, 1, 10, rng) >= 50);
}
