// Processes one stored inbound event to completion: finds the contact and
// conversation, runs the inbox's pipeline, and commits everything the run
// decided — tags, attributes, plugin state, conversation change, outbox rows,
// decision log, "processed" — in one transaction (DESIGN §2 rule 4).
//
// Stateless apart from its references: the scheduler calls process_async()
// from its worker threads, one event of a conversation at a time (the next
// one only after the previous one's commit).
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <string>

#include "app/runtime.hpp"
#include "pipeline/run_result.hpp"
#include "store/store.hpp"

namespace switchboard::processing {

struct ProcessOutcome {
  explicit ProcessOutcome(std::string inbox_id = {}) : inbox(std::move(inbox_id)) {}
  std::string inbox;
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

  // process() without waiting for the run's commit, so runs of different
  // conversations share one group commit. `done` is called exactly once:
  // with the error (the event stays unprocessed) or nullptr once committed,
  // maybe on the store's writer thread. Throws (without calling `done`) when
  // the run fails before its commit was handed over.
  using Done = std::function<void(ProcessOutcome, std::exception_ptr)>;
  void process_async(const app::Runtime& runtime, const store::StoredEvent& event, Done done);

 private:
  // An event worked out up to its commit: the run still to commit, if any.
  struct Prepared {
    ProcessOutcome outcome;
    std::optional<store::RunCommit> commit;
  };

  Prepared prepare(const app::Runtime& runtime, const store::StoredEvent& event);
  Prepared run_pipeline(const app::Inbox& inbox, const store::StoredEvent& event, const nlohmann::json& payload);
  Prepared record_agent_message(const store::StoredEvent& event, const nlohmann::json& payload);

  store::Store& store_;
};

}  // namespace switchboard::processing
