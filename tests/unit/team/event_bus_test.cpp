// The live-event fan-out behind the SSE stream.
#include <doctest/doctest.h>

#include "team/event_bus.hpp"

using switchboard::team::EventBus;

TEST_CASE("has_subscribers follows open subscriptions, so publishers can skip unseen events") {
  EventBus bus;
  CHECK_FALSE(bus.has_subscribers());
  auto subscription = bus.subscribe();
  CHECK(bus.has_subscribers());
  bus.publish({{"type", "conversation.message"}, {"conversation_id", 7}});
  auto event = subscription->next(std::chrono::milliseconds(0));
  REQUIRE(event);
  CHECK((*event)["conversation_id"] == 7);
  subscription.reset();  // the stream closed
  CHECK_FALSE(bus.has_subscribers());
}
