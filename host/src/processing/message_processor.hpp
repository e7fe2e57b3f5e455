// Processes one stored inbound event to completion: finds the contact and
// conversation, runs the inbox's pipeline, and commits everything the run
// decided — tags, attributes, plugin state, conversation change, outbox rows,
// decision log, "processed" — in one transaction (DESIGN §2 rule 4).
//
// Stateless apart from its references: the scheduler calls process() from
// its worker threads, one event of a conversation at a time.
#pragma once

#include <cstddef>
#include <string>

#include "app/runtime.hpp"
#include "pipeline/run_result.hpp"
#include "store/store.hpp"

namespace switchboard::processing {

struct ProcessOutcome {
  explicit ProcessOutcome(std::string inbox_id = {}) : inbox(std::move(inbox_id)) {}
  std::string inbox;
  store::Id conversation_id = 0;  // the conversation the event landed in (0: none)
  bool ran_pipeline = false;
  std::size_t outbox_rows = 0;         // replies queued for sending
  std::size_t suppressed_replies = 0;  // a human controls the conversation
  pipeline::RunResult run;             // empty unless ran_pipeline
};

class MessageProcessor {
 public:
  explicit MessageProcessor(store::Store& store) : store_(store) {}

  // Throws when storage fails; the event then stays unprocessed.
  ProcessOutcome process(const app::Runtime& runtime, const store::StoredEvent& event);

 private:
  ProcessOutcome run_pipeline(const app::Inbox& inbox, const store::StoredEvent& event, const nlohmann::json& payload);
  ProcessOutcome record_agent_message(const store::StoredEvent& event, const nlohmann::json& payload);

  store::Store& store_;
};

}  // namespace switchboard::processing
