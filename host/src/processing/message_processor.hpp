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
#include "pipeline/inbound_message.hpp"
#include "pipeline/run_result.hpp"
#include "processing/desk_link.hpp"
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
  std::optional<int32_t> csat_rating;  // the message was a CSAT rating for this department
  std::string csat_department;
};

class MessageProcessor {
 public:
  // Without a desk (tools, tests) handoff messages keep {position} and
  // {eta} as written, ratings are messages and contact_erase is skipped.
  explicit MessageProcessor(store::Store& store, DeskLink* desk = nullptr) : store_(store), desk_(desk) {}

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
  // Everything that asks the desk (queue outlook, awaited rating, erasure)
  // happens here, on the worker, never in a commit's callback (the store's
  // writer thread).
  struct Prepared {
    ProcessOutcome outcome;
    std::optional<store::RunCommit> commit;
  };

  Prepared prepare(const app::Runtime& runtime, const store::StoredEvent& event);
  Prepared run_pipeline(const app::Inbox& inbox, const store::StoredEvent& event, const nlohmann::json& payload);
  Prepared record_agent_message(const store::StoredEvent& event, const nlohmann::json& payload);
  // A rating answering the question asked on resolve: stored, thanked, no pipeline.
  std::optional<Prepared> record_rating(const app::Inbox& inbox, const store::StoredEvent& event,
                                        const store::ConversationContext& ctx, const pipeline::InboundMessage& message,
                                        const std::optional<store::ConversationOpen>& open);
  // Erases at once (its own transaction, secure_delete ON): nothing left to commit.
  Prepared erase_contact(const store::StoredEvent& event, const nlohmann::json& payload);

  store::Store& store_;
  DeskLink* desk_;
};

}  // namespace switchboard::processing
