// The SQLite implementation of Store: one file, WAL, synchronous=FULL.
// Writes go through the GroupCommitter (one writer thread, group commit);
// reads use pooled read connections and never wait for the writer. Methods
// that read and then write (open_conversation, claim_outbox) run entirely on
// the writer, so nothing can change between their read and their write.
//
// Threads: every Store method from any thread, except from inside a write
// task. Destroy only after callers have stopped: the destructor refuses new
// writes, commits the queued ones, joins the writer and closes the file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>

#include "store/sqlite/group_committer.hpp"
#include "store/sqlite/reader_pool.hpp"
#include "store/store.hpp"
#include "store/team_store.hpp"

namespace switchboard::store::sqlite {

// Wall-clock milliseconds since the Unix epoch.
Millis system_clock_millis();

struct SqliteStoreOptions {
  std::function<Millis()> clock = system_clock_millis;  // "now" where the interface passes none
  std::size_t max_batch = GroupCommitter::kDefaultMaxBatch;
  std::size_t max_idle_readers = ReaderPool::kDefaultMaxIdle;
};

class SqliteStore final : public Store, public TeamStore {
 public:
  // Creates the parent directory and the file if needed, then migrates.
  // Throws std::runtime_error naming the file when it cannot open it or the
  // schema is newer than this build.
  explicit SqliteStore(const std::filesystem::path& file, SqliteStoreOptions options = {});
  ~SqliteStore() override;

  std::vector<IngestOutcome> ingest(const std::vector<InboundEvent>& events) override;
  void ingest_async(std::vector<InboundEvent> events, IngestDone done) override;
  std::vector<StoredEvent> unprocessed_events() override;
  std::vector<StoredEvent> unprocessed_events_after(Id after, std::size_t limit) override;
  ConversationContext open_conversation(const std::string& inbox, const nlohmann::json& sender, Millis at,
                                        const ThreadRef& thread = {}) override;
  std::optional<ConversationContext> peek_conversation(const std::string& inbox, const nlohmann::json& sender,
                                                       Millis at, const ThreadRef& thread = {}) override;
  std::optional<std::string> plugin_state(Id conversation_id, const std::string& scope,
                                          const std::string& key) override;
  std::vector<Id> commit_run(const RunCommit& run) override;
  void commit_run_async(RunCommit run, RunCommitted done) override;
  void mark_processed(Id event_id, const std::string& note_json) override;
  void apply_contact_update(const ContactUpdate& update) override;
  int64_t apply_receipt(const Receipt& receipt) override;
  void record_decision(Id conversation_id, const std::string& decision_json) override;

  std::vector<OutboxRow> claim_outbox(Millis now, int limit) override;
  void outbox_sent(Id id, const std::string& platform_message_id, Millis now) override;
  void outbox_sent_async(Id id, std::string platform_message_id, Millis now, Written done) override;
  void outbox_retry(Id id, Millis next_attempt_at, const std::string& error) override;
  void outbox_dead(Id id, const std::string& code, const std::string& reason, Millis now) override;
  void outbox_blocked(Id id, const std::string& code, const std::string& reason, Millis now) override;
  std::optional<Millis> next_outbox_due() override;
  int64_t requeue_interrupted_sends() override;
  int64_t outbox_depth() override;
  std::optional<std::string> kv_get(const std::string& scope, const std::string& key) override;
  void kv_put(const std::string& scope, const std::string& key, const std::string& value) override;
  std::vector<KeyValueEntry> kv_scan(const std::string& scope_prefix, const std::string& key_prefix) override;
  void kv_erase(const std::string& scope, const std::string& key) override;

  // TeamStore
  void set_password(const std::string& agent, const std::string& hash) override;
  bool set_agent_disabled(const std::string& agent, bool disabled) override;
  std::optional<AgentCredential> credential(const std::string& agent) override;
  void save_token(const std::string& token_hash, const std::string& agent, Millis expires_at) override;
  std::optional<std::string> token_agent(const std::string& token_hash, Millis now) override;
  void revoke_token(const std::string& token_hash) override;
  void set_presence(const std::string& agent, const std::string& status) override;
  std::map<std::string, std::string> presence() override;
  std::map<std::string, int64_t> agent_loads() override;
  std::vector<ConversationSummary> list_conversations(const ConversationFilter& filter) override;
  std::optional<ConversationSummary> conversation_summary(Id id) override;
  std::vector<MessageRecord> conversation_messages(Id id) override;
  std::vector<ConversationSummary> contact_conversations(Id contact_id) override;
  std::optional<std::string> conversation_recipient(Id id) override;
  std::map<std::string, int64_t> queue_depths() override;
  int64_t queued_ahead(const std::string& queue, int32_t priority) override;
  std::optional<Millis> recent_first_response_ms(const std::string& queue) override;
  bool ask_csat(Id conversation_id, const std::string& outbound_json) override;
  ActionOutcome apply_action(const AgentAction& action) override;
  std::vector<Assignment> assign_backlog(const AssignmentPass& pass) override;
  std::vector<Id> wake_snoozed(Millis now) override;
  std::vector<AuditEntry> audit_log(Id after, int limit) override;
  std::vector<SlaBreach> record_sla_breaches(const SlaRule& rule, Millis now) override;
  void audit(const std::string& actor, const std::string& action, const std::string& detail_json) override;
  std::optional<nlohmann::json> export_contact(Id contact_id) override;
  bool erase_contact(Id contact_id) override;
  std::optional<Id> contact_by_identity(const std::string& inbox, const std::string& external_id) override;
  int64_t purge_resolved(Millis before) override;
  std::vector<ContactRecord> search_contacts(const std::string& query, int limit) override;
  std::vector<ContactRecord> merge_candidates(Id contact_id) override;
  bool merge_contacts(Id keep, Id drop) override;
  std::optional<ContactRecord> contact(Id contact_id) override;
  ReportData report(const ReportQuery& query) override;

  // Observability (and the proof that group commit happens).
  uint64_t commit_count() const { return writer_->commit_count(); }         // write transactions committed
  uint64_t committed_writes() const { return writer_->committed_tasks(); }  // write calls they carried
  std::size_t write_queue_depth() const { return writer_->queue_depth(); }  // writes waiting for the writer
  std::size_t reader_connections_opened() const { return readers_->opened_count(); }
  const std::filesystem::path& file() const { return file_; }

 private:
  template <class F>
  auto read(F&& work) {
    ReaderPool::Lease lease = readers_->acquire();
    return work(*lease);
  }

  std::filesystem::path file_;
  SqliteStoreOptions options_;
  std::unique_ptr<ReaderPool> readers_;
  std::unique_ptr<GroupCommitter> writer_;
};

// The Store the host runs on: SqliteStore with default options.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& file);

}  // namespace switchboard::store::sqlite

namespace switchboard::store {
// The implementation's public names, next to the interface they implement.
using sqlite::open_sqlite_store;
using sqlite::SqliteStore;
using sqlite::SqliteStoreOptions;
}  // namespace switchboard::store
