// The storage interface: the only door to durable state. Nothing outside
// host/src/store/ writes SQL. SQLite (store/sqlite/) is the embedded
// implementation; PostgreSQL will be a second one behind the same interface.
//
// Thread safety: every method may be called from any thread. Writes are
// serialised inside the implementation (SQLite: one writer thread that
// group-commits whatever is queued), so a method that writes returns only
// after its transaction is durable.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace switchboard::store {

using Id = int64_t;
using Millis = int64_t;  // milliseconds since the Unix epoch, UTC

// The wall clock in Millis: the one clock of the host's durable timestamps.
Millis now_ms();
// "2026-11-22T19:38:44Z": how message times reach handlers and traces.
std::string to_rfc3339(Millis ms);

// One inbound event as a channel submitted it (sb_host_v1.submit_inbound).
struct InboundEvent {
  std::string inbox;
  std::string channel_message_id;  // the event's "id": dedup key within the inbox
  std::string sender_id;           // the event's "sender.id": identity and ordering key
  std::string payload_json;        // the whole event JSON, as submitted
  Millis received_at = 0;
};

struct IngestOutcome {
  Id event_id = 0;         // the stored event (the first one for a duplicate)
  bool duplicate = false;  // (inbox, channel_message_id) was stored before
};

struct StoredEvent {
  Id id = 0;
  InboundEvent event;
};

enum class ConversationState { Bot, Queued, Assigned, Resolved, Snoozed };
const char* to_string(ConversationState state);
std::optional<ConversationState> parse_conversation_state(const std::string& text);

// Who may talk to the customer: automation or a human. Only a human reply,
// an assignment or a handoff gives control to the human; only resolve or an
// explicit "back to bot" gives it back.
enum class Controller { Bot, Human };
const char* to_string(Controller controller);
std::optional<Controller> parse_controller(const std::string& text);

struct Contact {
  Id id = 0;
  std::string name;
  std::string phone;
  std::string email;
};

struct Conversation {
  Id id = 0;
  Id contact_id = 0;
  std::string inbox;
  ConversationState state = ConversationState::Bot;
  Controller controller = Controller::Bot;
  std::string queue;  // department queue when queued/assigned
  int32_t priority = 1;
  std::string assignee;  // agent id when assigned
  Millis last_inbound_at = 0;
};

// Which of a contact's conversations on an inbox an event belongs to.
// Channels without threads (Zalo, Messenger, api) leave it empty: one current
// conversation per contact and inbox. An email names its thread: a reply
// continues the conversation our headers named, a new mail starts its own.
struct ThreadRef {
  std::string key;                 // the conversation's thread key; "" for channels without threads
  std::optional<Id> conversation;  // continue this one, if it is the contact's on this inbox; else use key
};

// What processing needs before running the pipeline for one event.
struct ConversationContext {
  Contact contact;
  std::string external_id;  // the contact's id on this inbox's channel
  Conversation conversation;
  bool created = false;   // the conversation did not exist before this event
  bool reopened = false;  // it was resolved and this event reopened it
};

// A change of conversation state decided by a pipeline run.
struct ConversationChange {
  std::optional<ConversationState> state;
  std::optional<Controller> controller;
  std::optional<std::string> queue;
  std::optional<int32_t> priority;
};

struct StateWrite {
  std::string scope;
  std::string key;
  std::string value_json;
};

// One message to send, in the order given.
struct OutboxItem {
  std::string payload_json;  // what send() receives, minus idempotency_key (the row id)
  std::string author = "bot";
};

// The open_conversation() call a run commit performs itself (see
// Store::peek_conversation): the same arguments.
struct ConversationOpen {
  std::string inbox;
  nlohmann::json sender;
  Millis at = 0;
  ThreadRef thread;
};

// Everything one pipeline run decided; committed in ONE transaction together
// with "this event is processed". A crash before the commit means the event
// is processed again from scratch; after it, never again.
struct RunCommit {
  Id event_id = 0;
  Id conversation_id = 0;
  std::string text;                                      // the inbound message, stored as a message row
  std::string attachments_json = "[]";                   //
  std::string author = "customer";                       // "customer", or "agent" for a human's echo
  bool record_message = true;                            // false: an event without text (follow), no message row
  std::vector<std::string> tags;                         // added (idempotent)
  nlohmann::json attributes = nlohmann::json::object();  // set (replace per key)
  std::vector<StateWrite> state_writes;                  // plugin state of this conversation
  ConversationChange change;
  std::vector<OutboxItem> outbox;  // sendable replies
  std::string decision_json;       // the run's trace, for the decision log
  // A rating the customer gave to the question asked on resolve: stored on
  // the conversation once (a second one is only a message).
  std::optional<int32_t> csat_rating;
  std::string csat_comment;
  // Set when the conversation was peeked, not opened: the commit opens it
  // first, in the same transaction, and fails (writing nothing) if that
  // yields another conversation than conversation_id.
  std::optional<ConversationOpen> open;
};

// A channel's contact_update event (follow, unfollow, submitted info, a
// fetched profile): applied to the contact without a pipeline run.
struct ContactUpdate {
  Id event_id = 0;
  std::string inbox;
  nlohmann::json sender = nlohmann::json::object();  // "id" plus name, phone, avatar, channel attributes
  bool fill_only = false;                            // name/phone fill empty fields only (fetched profiles)
  Millis interaction_at = 0;                         // > 0: the user interacted (moves last_inbound_at)
  std::string decision_json;
};

// A channel's receipt event: outbound messages delivered or read.
struct Receipt {
  Id event_id = 0;
  std::string inbox;
  std::string sender_id;                          // the customer
  std::string status;                             // "delivered" | "read"
  std::vector<std::string> platform_message_ids;  // as send() reported them
  Millis watermark = 0;                           // > 0: every message sent up to then (Messenger)
  std::string decision_json;
};

// One plugin key-value row (kv_scan).
struct KeyValueEntry {
  std::string scope;
  std::string key;
  std::string value;
};

struct OutboxRow {
  Id id = 0;
  Id conversation_id = 0;
  std::string inbox;
  std::string payload_json;
  int32_t attempts = 0;  // sends tried before this one (0 on the first send)
  Millis created_at = 0;
};

// Sent, Dead and Blocked are final; Pending, Sending and Retrying are open.
enum class OutboxStatus { Pending, Sending, Sent, Retrying, Dead, Blocked };
const char* to_string(OutboxStatus status);
std::optional<OutboxStatus> parse_outbox_status(const std::string& text);

// commit_run / mark_processed on an event that is already processed: the
// run's effects were committed before (or by a concurrent run) and nothing
// of this one was written. Callers may treat the event as done.
class EventAlreadyProcessed : public std::runtime_error {
 public:
  explicit EventAlreadyProcessed(Id event_id)
      : std::runtime_error("event " + std::to_string(event_id) + " is already processed"), event_id_(event_id) {}
  Id event_id() const { return event_id_; }

 private:
  Id event_id_;
};

class Store {
 public:
  virtual ~Store() = default;

  // Durably stores events (one group commit), deduplicating on
  // (inbox, channel_message_id). Returns one outcome per event, in order.
  virtual std::vector<IngestOutcome> ingest(const std::vector<InboundEvent>& events) = 0;

  // Told once the events of an ingest_async() are durable (outcomes, one per
  // event, and nullptr) or that nothing was stored ({} and why).
  using IngestDone = std::function<void(std::vector<IngestOutcome>, std::exception_ptr)>;
  // ingest() without waiting for the commit: `done` runs afterwards on a
  // thread of the store's (the writer's), so it must be quick and must not
  // block. Throws, without calling `done`, when the store is closing.
  // Default: ingest() on the calling thread, then `done`.
  virtual void ingest_async(std::vector<InboundEvent> events, IngestDone done);

  // Events not yet processed, oldest first: start-up recovery.
  virtual std::vector<StoredEvent> unprocessed_events() = 0;

  // Unprocessed events with id > after, oldest first, at most `limit`: how
  // the processor reads the log. Implementations should override this with
  // one indexed query; the default filters unprocessed_events().
  virtual std::vector<StoredEvent> unprocessed_events_after(Id after, std::size_t limit) {
    std::vector<StoredEvent> out;
    for (auto& e : unprocessed_events()) {
      if (e.id > after && out.size() < limit) out.push_back(std::move(e));
    }
    return out;
  }

  // Finds or creates the contact, its identity on this inbox and the
  // conversation (one per contact, inbox and thread); reopens a resolved one
  // and records the inbound time. Idempotent: safe to repeat after a crash.
  // `sender` is the event's "sender" object (id, name, phone, email…).
  virtual ConversationContext open_conversation(const std::string& inbox, const nlohmann::json& sender, Millis at,
                                                const ThreadRef& thread = {}) = 0;

  // open_conversation() without its writes, for the common case where the
  // identity and the conversation exist: the context that call would return.
  // The run then commits with RunCommit::open set, so opening and the run
  // are one write instead of two. nullopt means "call open_conversation()";
  // the default always says so.
  virtual std::optional<ConversationContext> peek_conversation(const std::string& inbox, const nlohmann::json& sender,
                                                               Millis at, const ThreadRef& thread = {}) {
    (void)inbox;
    (void)sender;
    (void)at;
    (void)thread;
    return std::nullopt;
  }

  // Plugin state of a conversation (sb_host_v1.state_get).
  virtual std::optional<std::string> plugin_state(Id conversation_id, const std::string& scope,
                                                  const std::string& key) = 0;

  // Commits a run (see RunCommit). Returns the ids of the outbox rows, in order.
  // Throws EventAlreadyProcessed (and writes nothing) for a processed event.
  virtual std::vector<Id> commit_run(const RunCommit& run) = 0;

  // commit_run() without waiting for the commit: `done` gets the outbox row
  // ids once the run is durable, or the error (nothing written), maybe on a
  // storage thread, so it must not block or call back into a store write
  // that waits. Lets one thread keep the runs of many conversations in one
  // group commit. The default commits in place and calls `done` before
  // returning.
  using RunCommitted = std::function<void(std::vector<Id> outbox_ids, std::exception_ptr error)>;
  virtual void commit_run_async(RunCommit run, RunCommitted done);

  // Marks an event processed without a run (e.g. an event type that starts
  // no pipeline), with a decision-log note. Throws EventAlreadyProcessed too.
  virtual void mark_processed(Id event_id, const std::string& note_json) = 0;

  // Applies a contact update and marks its event processed, in one
  // transaction: creates the contact if new, merges the sender's fields into
  // its channel profile, sets name/phone (or fills them when fill_only), and
  // on an interaction moves the conversation's last_inbound_at (creating the
  // conversation if needed, never reopening a resolved one). Throws
  // EventAlreadyProcessed like commit_run.
  virtual void apply_contact_update(const ContactUpdate& update) = 0;

  // Sets the delivery state of the outbound messages a receipt names (never
  // from read back to delivered) and marks its event processed, in one
  // transaction. Returns how many messages changed.
  virtual int64_t apply_receipt(const Receipt& receipt) = 0;

  // Appends a decision-log note about a conversation outside any event
  // (e.g. a send the channel reported billable).
  virtual void record_decision(Id conversation_id, const std::string& decision_json) = 0;

  // --- outbox ---

  // Claims up to `limit` due rows, oldest first, and marks them sending. Only
  // the oldest open (pending/sending/retrying) row of each conversation is
  // ever due, so sends stay in order and a retrying row holds back the rows
  // behind it. A row that ends dead or blocked is final, and the next row of
  // its conversation becomes due. Claiming counts an attempt.
  virtual std::vector<OutboxRow> claim_outbox(Millis now, int limit) = 0;
  // Results of a claimed send. Each throws std::runtime_error for an unknown
  // row or one already in a final state (a result is reported once).
  virtual void outbox_sent(Id id, const std::string& platform_message_id, Millis now) = 0;
  // outbox_sent() without waiting; `done` as for commit_run_async (nullptr
  // once durable). The row stays "sending" until then.
  using Written = std::function<void(std::exception_ptr error)>;
  virtual void outbox_sent_async(Id id, std::string platform_message_id, Millis now, Written done);
  virtual void outbox_retry(Id id, Millis next_attempt_at, const std::string& error) = 0;
  virtual void outbox_dead(Id id, const std::string& code, const std::string& reason, Millis now) = 0;
  virtual void outbox_blocked(Id id, const std::string& code, const std::string& reason, Millis now) = 0;
  // When the next row becomes due (nullopt: nothing waits).
  virtual std::optional<Millis> next_outbox_due() = 0;
  // Start-up: rows left "sending" by a crash go back to pending; returns how many.
  virtual int64_t requeue_interrupted_sends() = 0;
  // Rows waiting to be sent (pending or retrying), for /metrics.
  virtual int64_t outbox_depth() = 0;

  // --- plugin key-value (sb_host_v1.kv_*) ---

  // Durable per-instance values (`scope` names the instance). put and erase
  // are committed when they return.
  virtual std::optional<std::string> kv_get(const std::string& scope, const std::string& key) = 0;
  virtual void kv_put(const std::string& scope, const std::string& key, const std::string& value) = 0;
  virtual void kv_erase(const std::string& scope, const std::string& key) = 0;
  // Every value whose scope and key start with the given prefixes, ordered by
  // scope then key: reports over what plugins keep (`switchboard faq-misses`).
  virtual std::vector<KeyValueEntry> kv_scan(const std::string& scope_prefix, const std::string& key_prefix) = 0;
};

}  // namespace switchboard::store
