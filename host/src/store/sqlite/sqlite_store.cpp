// SqliteStore: opening and migrating the file, and routing each Store call
// to the writer (group commit) or a pooled reader.
#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <system_error>

#include "store/sqlite/channel_updates.hpp"
#include "store/sqlite/contact_records.hpp"
#include "store/sqlite/conversation_records.hpp"
#include "store/sqlite/inbound_log.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/outbox_queue.hpp"
#include "store/sqlite/plugin_kv.hpp"
#include "store/sqlite/report_queries.hpp"
#include "store/sqlite/run_commit.hpp"
#include "store/sqlite/sqlite_error.hpp"
#include "store/sqlite/team_actions.hpp"
#include "store/sqlite/team_records.hpp"

namespace switchboard::store::sqlite {
namespace {

void create_parent_directory(const std::filesystem::path& file) {
  std::filesystem::path parent = file.parent_path();
  if (parent.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw std::runtime_error("cannot create the directory " + parent.string() + " for the store: " + error.message());
  }
}

// The writer connection, migrated: the schema is complete before any thread
// (writer or reader) touches the file.
std::unique_ptr<SqliteConnection> open_writer(const std::filesystem::path& file, Millis now) {
  try {
    auto connection = std::make_unique<SqliteConnection>(file, ConnectionRole::Writer);
    // secure_delete=ON: a migration that rebuilds a table (version 7) drops
    // pages holding a copy of every row, and left unzeroed on the freelist
    // those copies would outlive a later erase of the rows themselves.
    connection->erasing([&] { migrate(*connection, now); });
    return connection;
  } catch (const SqliteError& e) {
    throw std::runtime_error("cannot open the store " + file.string() + ": " + e.what());
  }
}

}  // namespace

Millis system_clock_millis() { return now_ms(); }

SqliteStore::SqliteStore(const std::filesystem::path& file, SqliteStoreOptions options)
    : file_(file), options_(std::move(options)) {
  if (!options_.clock) options_.clock = system_clock_millis;
  create_parent_directory(file_);
  std::unique_ptr<SqliteConnection> writer = open_writer(file_, options_.clock());
  readers_ = std::make_unique<ReaderPool>(file_, options_.max_idle_readers);
  writer_ = std::make_unique<GroupCommitter>(std::move(writer), options_.max_batch);
}

SqliteStore::~SqliteStore() {
  // Readers first, so the writer is the last connection and leaves the WAL
  // checkpointed; then drain and commit every queued write.
  readers_.reset();
  writer_.reset();
}

std::vector<IngestOutcome> SqliteStore::ingest(const std::vector<InboundEvent>& events) {
  if (events.empty()) return {};
  return writer_->call([&](SqliteConnection& c) { return insert_events(c, events); });
}

void SqliteStore::ingest_async(std::vector<InboundEvent> events, IngestDone done) {
  if (events.empty()) return done({}, nullptr);
  // Written by the task, read by the callback: both on the writer thread.
  auto outcomes = std::make_shared<std::vector<IngestOutcome>>();
  writer_->submit([events = std::move(events), outcomes](SqliteConnection& c) { *outcomes = insert_events(c, events); },
                  [outcomes, done = std::move(done)](std::exception_ptr error) {
                    done(error ? std::vector<IngestOutcome>{} : std::move(*outcomes), error);
                  },
                  GroupCommitter::Priority::Urgent);
}

std::vector<StoredEvent> SqliteStore::unprocessed_events() {
  return read([](SqliteConnection& c) { return select_unprocessed_events(c); });
}

std::vector<StoredEvent> SqliteStore::unprocessed_events_after(Id after, std::size_t limit) {
  if (limit == 0) return {};
  auto capped = static_cast<int64_t>(std::min<std::size_t>(limit, INT64_MAX));
  return read([&](SqliteConnection& c) { return select_unprocessed_events_after(c, after, capped); });
}

ConversationContext SqliteStore::open_conversation(const std::string& inbox, const nlohmann::json& sender, Millis at,
                                                   const ThreadRef& thread) {
  Millis now = options_.clock();
  return writer_->call(
      [&](SqliteConnection& c) { return sqlite::open_conversation(c, inbox, sender, at, now, thread); });
}

std::optional<ConversationContext> SqliteStore::peek_conversation(const std::string& inbox,
                                                                  const nlohmann::json& sender, Millis at,
                                                                  const ThreadRef& thread) {
  return read([&](SqliteConnection& c) { return sqlite::peek_conversation(c, inbox, sender, at, thread); });
}

std::optional<std::string> SqliteStore::plugin_state(Id conversation_id, const std::string& scope,
                                                     const std::string& key) {
  return read([&](SqliteConnection& c) { return select_plugin_state(c, conversation_id, scope, key); });
}

std::vector<Id> SqliteStore::commit_run(const RunCommit& run) {
  Millis now = options_.clock();
  return writer_->call([&](SqliteConnection& c) { return write_run(c, run, now); });
}

void SqliteStore::commit_run_async(RunCommit run, RunCommitted done) {
  Millis now = options_.clock();
  // Shared: the writer's std::function must be copyable, and the ids travel
  // from the task to its completion.
  auto shared_run = std::make_shared<const RunCommit>(std::move(run));
  auto ids = std::make_shared<std::vector<Id>>();
  writer_->submit([shared_run, ids, now](SqliteConnection& c) { *ids = write_run(c, *shared_run, now); },
                  [ids, done = std::move(done)](std::exception_ptr error) {
                    done(error ? std::vector<Id>{} : std::move(*ids), error);
                  });
}

void SqliteStore::mark_processed(Id event_id, const std::string& note_json) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { write_processed_note(c, event_id, note_json, now); });
}

void SqliteStore::apply_contact_update(const ContactUpdate& update) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { write_contact_update(c, update, now); });
}

int64_t SqliteStore::apply_receipt(const Receipt& receipt) {
  Millis now = options_.clock();
  return writer_->call([&](SqliteConnection& c) { return write_receipt(c, receipt, now); });
}

void SqliteStore::record_decision(Id conversation_id, const std::string& decision_json) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { write_decision_note(c, conversation_id, decision_json, now); });
}

std::vector<OutboxRow> SqliteStore::claim_outbox(Millis now, int limit) {
  if (limit <= 0) return {};
  return writer_->call([&](SqliteConnection& c) { return claim_due_rows(c, now, limit); });
}

void SqliteStore::outbox_sent(Id id, const std::string& platform_message_id, Millis now) {
  writer_->call([&](SqliteConnection& c) { set_outbox_sent(c, id, platform_message_id, now); });
}

void SqliteStore::outbox_sent_async(Id id, std::string platform_message_id, Millis now, Written done) {
  writer_->submit([id, platform_id = std::move(platform_message_id),
                   now](SqliteConnection& c) { set_outbox_sent(c, id, platform_id, now); },
                  std::move(done), GroupCommitter::Priority::Prompt);  // it frees a sender's slot
}

void SqliteStore::outbox_retry(Id id, Millis next_attempt_at, const std::string& error) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { set_outbox_retrying(c, id, next_attempt_at, error, now); });
}

void SqliteStore::outbox_dead(Id id, const std::string& code, const std::string& reason, Millis now) {
  writer_->call([&](SqliteConnection& c) { set_outbox_final(c, id, OutboxStatus::Dead, code, reason, now); });
}

void SqliteStore::outbox_blocked(Id id, const std::string& code, const std::string& reason, Millis now) {
  writer_->call([&](SqliteConnection& c) { set_outbox_final(c, id, OutboxStatus::Blocked, code, reason, now); });
}

std::optional<Millis> SqliteStore::next_outbox_due() {
  return read([](SqliteConnection& c) { return select_next_due(c); });
}

int64_t SqliteStore::requeue_interrupted_sends() {
  Millis now = options_.clock();
  return writer_->call([&](SqliteConnection& c) { return requeue_sending_rows(c, now); });
}

int64_t SqliteStore::outbox_depth() {
  return read([](SqliteConnection& c) { return count_waiting_rows(c); });
}

std::optional<std::string> SqliteStore::kv_get(const std::string& scope, const std::string& key) {
  return read([&](SqliteConnection& c) { return select_kv(c, scope, key); });
}

std::vector<KeyValueEntry> SqliteStore::kv_scan(const std::string& scope_prefix, const std::string& key_prefix) {
  return read([&](SqliteConnection& c) { return scan_kv(c, scope_prefix, key_prefix); });
}

void SqliteStore::kv_put(const std::string& scope, const std::string& key, const std::string& value) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { upsert_kv(c, scope, key, value, now); });
}

void SqliteStore::kv_erase(const std::string& scope, const std::string& key) {
  writer_->call([&](SqliteConnection& c) { delete_kv(c, scope, key); });
}

void SqliteStore::set_password(const std::string& agent, const std::string& hash) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { upsert_password(c, agent, hash, now); });
}

bool SqliteStore::set_agent_disabled(const std::string& agent, bool disabled) {
  Millis now = options_.clock();
  return writer_->call([&](SqliteConnection& c) { return update_disabled(c, agent, disabled, now); });
}

std::optional<AgentCredential> SqliteStore::credential(const std::string& agent) {
  return read([&](SqliteConnection& c) { return select_credential(c, agent); });
}

void SqliteStore::save_token(const std::string& token_hash, const std::string& agent, Millis expires_at) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { insert_token(c, token_hash, agent, now, expires_at); });
}

std::optional<std::string> SqliteStore::token_agent(const std::string& token_hash, Millis now) {
  return read([&](SqliteConnection& c) { return select_token_agent(c, token_hash, now); });
}

void SqliteStore::revoke_token(const std::string& token_hash) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { update_token_revoked(c, token_hash, now); });
}

void SqliteStore::set_presence(const std::string& agent, const std::string& status) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { upsert_presence(c, agent, status, now); });
}

std::map<std::string, std::string> SqliteStore::presence() {
  return read([](SqliteConnection& c) { return select_presence(c); });
}

std::map<std::string, int64_t> SqliteStore::agent_loads() {
  return read([](SqliteConnection& c) { return select_agent_loads(c); });
}

std::vector<ConversationSummary> SqliteStore::list_conversations(const ConversationFilter& filter) {
  return read([&](SqliteConnection& c) { return select_conversations(c, filter); });
}

std::optional<ConversationSummary> SqliteStore::conversation_summary(Id id) {
  return read([&](SqliteConnection& c) { return select_conversation_summary(c, id); });
}

std::vector<MessageRecord> SqliteStore::conversation_messages(Id id) {
  return read([&](SqliteConnection& c) { return select_conversation_messages(c, id); });
}

std::vector<ConversationSummary> SqliteStore::contact_conversations(Id contact_id) {
  return read([&](SqliteConnection& c) { return select_contact_conversations(c, contact_id); });
}

std::optional<std::string> SqliteStore::conversation_recipient(Id id) {
  return read([&](SqliteConnection& c) { return select_conversation_recipient(c, id); });
}

std::optional<ContactRecord> SqliteStore::contact(Id contact_id) {
  return read([&](SqliteConnection& c) { return select_contact_record(c, contact_id); });
}

ReportData SqliteStore::report(const ReportQuery& query) {
  return read([&](SqliteConnection& c) { return select_report(c, query); });
}

std::map<std::string, int64_t> SqliteStore::queue_depths() {
  return read([](SqliteConnection& c) { return select_queue_depths(c); });
}

ActionOutcome SqliteStore::apply_action(const AgentAction& action) {
  Millis now = options_.clock();
  return writer_->call([&](SqliteConnection& c) { return apply_agent_action(c, action, now); });
}

std::vector<Assignment> SqliteStore::assign_backlog(const AssignmentPass& pass) {
  return writer_->call([&](SqliteConnection& c) { return assign_queue_backlog(c, pass); });
}

std::vector<Id> SqliteStore::wake_snoozed(Millis now) {
  return writer_->call([&](SqliteConnection& c) { return wake_snoozed_conversations(c, now); });
}

std::vector<AuditEntry> SqliteStore::audit_log(Id after, int limit) {
  return read([&](SqliteConnection& c) { return select_audit(c, after, limit); });
}

int64_t SqliteStore::queued_ahead(const std::string& queue, int32_t priority) {
  return read([&](SqliteConnection& c) { return select_queued_ahead(c, queue, priority); });
}

std::optional<Millis> SqliteStore::recent_first_response_ms(const std::string& queue) {
  return read([&](SqliteConnection& c) { return select_recent_first_response(c, queue); });
}

bool SqliteStore::ask_csat(Id conversation_id, const std::string& outbound_json) {
  Millis now = options_.clock();
  return writer_->call([&](SqliteConnection& c) { return ask_csat_once(c, conversation_id, outbound_json, now); });
}

std::vector<SlaBreach> SqliteStore::record_sla_breaches(const SlaRule& rule, Millis now) {
  return writer_->call([&](SqliteConnection& c) { return insert_sla_breaches(c, rule, now); });
}

void SqliteStore::audit(const std::string& actor, const std::string& action, const std::string& detail_json) {
  Millis now = options_.clock();
  writer_->call([&](SqliteConnection& c) { insert_audit(c, now, actor, action, 0, detail_json); });
}

std::optional<nlohmann::json> SqliteStore::export_contact(Id contact_id) {
  return read([&](SqliteConnection& c) { return export_contact_data(c, contact_id); });
}

bool SqliteStore::erase_contact(Id contact_id) {
  return writer_->call(
      [&](SqliteConnection& c) { return c.erasing([&] { return erase_contact_data(c, contact_id); }); });
}

std::optional<Id> SqliteStore::contact_by_identity(const std::string& inbox, const std::string& external_id) {
  return read([&](SqliteConnection& c) { return find_contact_by_identity(c, inbox, external_id); });
}

int64_t SqliteStore::purge_resolved(Millis before) {
  return writer_->call(
      [&](SqliteConnection& c) { return c.erasing([&] { return purge_resolved_before(c, before); }); });
}

std::vector<ContactRecord> SqliteStore::search_contacts(const std::string& query, int limit) {
  return read([&](SqliteConnection& c) { return search_contact_records(c, query, limit); });
}

std::vector<ContactRecord> SqliteStore::merge_candidates(Id contact_id) {
  return read([&](SqliteConnection& c) { return contact_merge_candidates(c, contact_id); });
}

bool SqliteStore::merge_contacts(Id keep, Id drop) {
  Millis now = options_.clock();
  return writer_->call([&](SqliteConnection& c) { return merge_contact_records(c, keep, drop, now); });
}

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& file) {
  return std::make_unique<SqliteStore>(file);
}

}  // namespace switchboard::store::sqlite
