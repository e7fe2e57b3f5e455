// The storage side of human handoff (DESIGN.md §3): agent credentials and
// tokens, presence, the agents' view of conversations, their actions, queue
// assignment and the audit log. Same rules as store.hpp: any thread; a write
// returns once durable; every agent action commits with its audit entry in
// one transaction, so the log never misses a change that happened.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/report_data.hpp"
#include "store/store.hpp"

namespace switchboard::store {

struct AgentCredential {
  std::string agent_id;
  std::string password_hash;  // libsodium crypto_pwhash_str format
  bool disabled = false;
};

struct ConversationSummary {
  Id id = 0;
  std::string inbox;
  Id contact_id = 0;
  std::string contact_name;
  std::string state;
  std::string controller;
  std::string queue;
  int32_t priority = 1;
  std::string assignee;
  Millis last_inbound_at = 0;
  Millis queued_at = 0;
  Millis updated_at = 0;
  Millis snoozed_until = 0;
  std::string last_message;
  std::string last_inbound_message_id;  // the channel's id of the customer's latest message
  std::vector<std::string> tags;
  // Customer satisfaction: asked once on resolve, answered once (0: not yet).
  Millis csat_asked_at = 0;
  Millis csat_answered_at = 0;
  int32_t csat_rating = 0;
  std::string csat_comment;
};

struct ConversationFilter {
  std::optional<std::vector<std::string>> queues;  // nullopt: any (admins); else only these queues
  std::optional<std::string> also_assignee;        // with queues: plus those assigned to this agent
  std::optional<std::string> assignee;
  std::optional<std::string> state;
  std::optional<std::string> inbox;
  std::optional<std::string> tag;
  Id before_id = 0;  // pagination: ids below this (0: from the newest)
  int limit = 50;
};

struct MessageRecord {
  Id id = 0;
  Id conversation_id = 0;
  std::string inbox;
  std::string direction;  // in | out | note
  std::string author;     // customer | bot | agent (| agent id for notes)
  std::string text;
  std::string attachments_json;
  std::string status;
  Millis created_at = 0;
};

// One action an agent (or the system: actor "system") takes on a conversation.
struct AgentAction {
  enum class Kind { Reply, Note, Tag, Untag, Assign, Claim, Resolve, Reopen, Snooze, ReturnToBot, SetPriority };
  Kind kind = Kind::Note;
  std::string actor;
  Id conversation_id = 0;
  std::string text;           // Reply, Note; Tag/Untag: the tag; Resolve: reason
  std::string agent;          // Assign: the new assignee ("" = back to its queue)
  std::string queue;          // Assign: transfer to this queue (optional)
  int32_t priority = 1;       // SetPriority
  Millis until = 0;           // Snooze
  std::string outbound_json;  // Reply: what send() gets, minus idempotency_key
  std::string canned_id;      // Reply: a canned response the desk renders instead of `text`
};

struct ActionOutcome {
  bool applied = false;
  std::string conflict;  // why not, e.g. "already assigned to lan"
  Id outbox_id = 0;      // Reply
};

// Input of one backlog pass over a department's queue.
struct AssignmentPass {
  std::string queue;
  enum class Strategy { RoundRobin, LeastBusy } strategy = Strategy::RoundRobin;
  std::map<std::string, int64_t> capacity;  // eligible agents (member, in hours) -> capacity
  Millis now = 0;
};

struct Assignment {
  Id conversation_id = 0;
  std::string agent;
  bool sticky = false;
};

struct ContactRecord {
  Id id = 0;
  std::string name;
  std::string phone;
  std::string email;
  std::vector<std::string> identities;  // "inbox:external_id"
};

// A response deadline a queue's SLA set and nobody met.
struct SlaBreach {
  Id conversation_id = 0;
  std::string kind;  // first_response | next_response
  std::string queue;
  std::string assignee;
  Millis waiting_since = 0;
};

struct SlaRule {
  std::string queue;
  Millis first_response_ms = 0;  // 0: not tracked
  Millis next_response_ms = 0;
  // How much of a wait counts (the department's open time); null: all of it.
  std::function<Millis(Millis since, Millis now)> counted;
};

struct AuditEntry {
  Id id = 0;
  Millis at = 0;
  std::string actor;
  std::string action;
  Id conversation_id = 0;
  std::string detail_json;
};

class TeamStore {
 public:
  virtual ~TeamStore() = default;

  // --- credentials and tokens ---
  virtual void set_password(const std::string& agent, const std::string& hash) = 0;
  virtual bool set_agent_disabled(const std::string& agent, bool disabled) = 0;  // false: no such credential
  virtual std::optional<AgentCredential> credential(const std::string& agent) = 0;
  virtual void save_token(const std::string& token_hash, const std::string& agent, Millis expires_at) = 0;
  // The agent of a token that exists, is not revoked or expired, of an agent not disabled.
  virtual std::optional<std::string> token_agent(const std::string& token_hash, Millis now) = 0;
  virtual void revoke_token(const std::string& token_hash) = 0;

  // --- presence: online | away | offline ---
  virtual void set_presence(const std::string& agent, const std::string& status) = 0;
  virtual std::map<std::string, std::string> presence() = 0;
  // Assigned (open) conversations per agent.
  virtual std::map<std::string, int64_t> agent_loads() = 0;

  // --- the agents' view ---
  virtual std::vector<ConversationSummary> list_conversations(const ConversationFilter& filter) = 0;
  virtual std::optional<ConversationSummary> conversation_summary(Id id) = 0;
  // Messages and notes of one conversation, oldest first.
  virtual std::vector<MessageRecord> conversation_messages(Id id) = 0;
  // Every conversation of a contact, on every inbox: the 360° view.
  virtual std::vector<ConversationSummary> contact_conversations(Id contact_id) = 0;
  // The recipient of replies in a conversation: its contact's id on that inbox's channel.
  virtual std::optional<std::string> conversation_recipient(Id id) = 0;
  // Queued conversations per queue.
  virtual std::map<std::string, int64_t> queue_depths() = 0;
  // Queued conversations of `queue` a newcomer at `priority` waits behind.
  virtual int64_t queued_ahead(const std::string& queue, int32_t priority) = 0;
  // The mean time from queue entry to the first agent reply over the
  // queue's recent conversations; nullopt before any was answered.
  virtual std::optional<Millis> recent_first_response_ms(const std::string& queue) = 0;

  // --- customer satisfaction ---
  // Marks the question asked and queues it in the outbox, unless this
  // conversation was asked before (never twice). False when it was.
  virtual bool ask_csat(Id conversation_id, const std::string& outbound_json) = 0;

  // --- actions (each one transaction with its audit entry) ---
  virtual ActionOutcome apply_action(const AgentAction& action) = 0;
  // Assigns the queue's backlog, oldest first within priority, while an
  // eligible agent has room; sticky to the contact's last agent when eligible.
  virtual std::vector<Assignment> assign_backlog(const AssignmentPass& pass) = 0;
  // Snoozed conversations whose time has come go back to where they were.
  virtual std::vector<Id> wake_snoozed(Millis now) = 0;

  virtual std::vector<AuditEntry> audit_log(Id after, int limit) = 0;
  // Records and returns the breaches of `rule` at `now` not recorded before:
  // queued or assigned conversations whose customer has waited longer than
  // the threshold (as `rule.counted` measures it) for a first agent reply
  // (since queued) or the next one (since their first message after the
  // agent's last reply).
  virtual std::vector<SlaBreach> record_sla_breaches(const SlaRule& rule, Millis now) = 0;
  virtual void audit(const std::string& actor, const std::string& action, const std::string& detail_json) = 0;

  // --- contacts and personal data ---
  // Everything stored about a contact, as one JSON document; nullopt when unknown.
  virtual std::optional<nlohmann::json> export_contact(Id contact_id) = 0;
  // Erases the contact and everything of theirs (messages, events, outbox,
  // notes, tags, state, decisions), in one transaction. False when unknown.
  virtual bool erase_contact(Id contact_id) = 0;
  virtual std::optional<Id> contact_by_identity(const std::string& inbox, const std::string& external_id) = 0;
  // Deletes resolved conversations last updated before `before`, with their
  // messages and events; contacts left with nothing go too. Returns how many.
  virtual int64_t purge_resolved(Millis before) = 0;
  // One contact's profile and channel identities; nullopt when unknown.
  virtual std::optional<ContactRecord> contact(Id contact_id) = 0;
  virtual std::vector<ContactRecord> search_contacts(const std::string& query, int limit) = 0;
  // Other contacts with the same phone (+84… and 0… alike) or email.
  virtual std::vector<ContactRecord> merge_candidates(Id contact_id) = 0;
  // Moves `drop`'s identities and conversations to `keep`, fills keep's
  // missing profile fields from drop, deletes drop. False when either is unknown.
  virtual bool merge_contacts(Id keep, Id drop) = 0;

  // --- reports ---
  virtual ReportData report(const ReportQuery& query) = 0;
};

}  // namespace switchboard::store
