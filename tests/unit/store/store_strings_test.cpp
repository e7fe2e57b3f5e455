// The text forms of the storage enums: what the database columns hold.
#include <doctest/doctest.h>

#include "store/store.hpp"

namespace switchboard::store {

TEST_CASE("conversation states, controllers and outbox statuses round-trip through their text") {
  for (auto state : {ConversationState::Bot, ConversationState::Queued, ConversationState::Assigned,
                     ConversationState::Resolved, ConversationState::Snoozed}) {
    CHECK(parse_conversation_state(to_string(state)) == state);
  }
  for (auto controller : {Controller::Bot, Controller::Human})
    CHECK(parse_controller(to_string(controller)) == controller);
  for (auto status : {OutboxStatus::Pending, OutboxStatus::Sending, OutboxStatus::Sent, OutboxStatus::Retrying,
                      OutboxStatus::Dead, OutboxStatus::Blocked}) {
    CHECK(parse_outbox_status(to_string(status)) == status);
  }
  CHECK(std::string(to_string(ConversationState::Queued)) == "queued");
  CHECK(std::string(to_string(Controller::Human)) == "human");
  CHECK(std::string(to_string(OutboxStatus::Retrying)) == "retrying");
}

TEST_CASE("unknown or differently cased names do not parse") {
  CHECK_FALSE(parse_conversation_state("Bot"));
  CHECK_FALSE(parse_conversation_state("closed"));
  CHECK_FALSE(parse_controller(""));
  CHECK_FALSE(parse_outbox_status("failed"));
}

}  // namespace switchboard::store
