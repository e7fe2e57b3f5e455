// Credentials, tokens, presence, the agents' views and the audit log.
#include "store/sqlite/team_records.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::store::sqlite {

void upsert_password(SqliteConnection& c, const std::string& agent, const std::string& hash, Millis now) {
  c.prepare(
       "INSERT INTO agent_credentials(agent_id, password_hash, disabled, updated_at) VALUES (?1, ?2, 0, ?3) "
       "ON CONFLICT(agent_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at")
      .bind_all(agent, hash, now)
      .run();
  // A new password ends every session of the old one.
  c.prepare("UPDATE agent_tokens SET revoked_at = ?2 WHERE agent_id = ?1 AND revoked_at IS NULL")
      .bind_all(agent, now)
      .run();
}

bool update_disabled(SqliteConnection& c, const std::string& agent, bool disabled, Millis now) {
  c.prepare("UPDATE agent_credentials SET disabled = ?2, updated_at = ?3 WHERE agent_id = ?1")
      .bind_all(agent, int64_t{disabled ? 1 : 0}, now)
      .run();
  bool found = c.changes() == 1;
  if (disabled) {
    c.prepare("UPDATE agent_tokens SET revoked_at = ?2 WHERE agent_id = ?1 AND revoked_at IS NULL")
        .bind_all(agent, now)
        .run();
  }
  return found;
}

std::optional<AgentCredential> select_credential(SqliteConnection& c, const std::string& agent) {
  Statement& q = c.prepare("SELECT password_hash, disabled FROM agent_credentials WHERE agent_id = ?1");
  q.bind_all(agent);
  std::optional<AgentCredential> out;
  if (q.step()) out = AgentCredential{agent, q.text(0), q.int64(1) != 0};
  q.reset();
  return out;
}

void insert_token(SqliteConnection& c, const std::string& hash, const std::string& agent, Millis now, Millis expires) {
  c.prepare("INSERT INTO agent_tokens(token_hash, agent_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
      .bind_all(hash, agent, now, expires)
      .run();
}

std::optional<std::string> select_token_agent(SqliteConnection& c, const std::string& hash, Millis now) {
  Statement& q = c.prepare(
      "SELECT t.agent_id FROM agent_tokens t JOIN agent_credentials a ON a.agent_id = t.agent_id "
      "WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2 AND a.disabled = 0");
  q.bind_all(hash, now);
  std::optional<std::string> out;
  if (q.step()) out = q.text(0);
  q.reset();
  return out;
}

void update_token_revoked(SqliteConnection& c, const std::string& hash, Millis now) {
  c.prepare("UPDATE agent_tokens SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL")
      .bind_all(hash, now)
      .run();
}

void upsert_presence(SqliteConnection& c, const std::string& agent, const std::string& status, Millis now) {
  c.prepare(
       "INSERT INTO agent_presence(agent_id, status, updated_at) VALUES (?1, ?2, ?3) "
       "ON CONFLICT(agent_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at")
      .bind_all(agent, status, now)
      .run();
}

namespace {

std::map<std::string, int64_t> count_by(SqliteConnection& c, const char* sql) {
  Statement& q = c.prepare(sql);
  std::map<std::string, int64_t> out;
  while (q.step()) out[q.text(0)] = q.int64(1);
  q.reset();
  return out;
}

constexpr const char* kSummaryColumns =
    "SELECT v.id, v.inbox, v.contact_id, COALESCE(k.name, ''), v.state, v.controller, COALESCE(v.queue, ''), "
    "v.priority, COALESCE(v.assignee, ''), COALESCE(v.last_inbound_at, 0), COALESCE(v.queued_at, 0), "
    "COALESCE(v.updated_at, 0), COALESCE(v.snoozed_until, 0), "
    "COALESCE((SELECT text FROM messages m WHERE m.conversation_id = v.id ORDER BY m.id DESC LIMIT 1), ''), "
    "COALESCE((SELECT e.channel_message_id FROM inbound_events e WHERE e.conversation_id = v.id "
    "ORDER BY e.id DESC LIMIT 1), ''), "
    "COALESCE(v.csat_asked_at, 0), COALESCE(v.csat_answered_at, 0), COALESCE(v.csat_rating, 0), "
    "COALESCE(v.csat_comment, '') "
    "FROM conversations v JOIN contacts k ON k.id = v.contact_id ";

std::vector<std::string> tags_of(SqliteConnection& c, Id conversation) {
  Statement& q = c.prepare("SELECT tag FROM tags WHERE conversation_id = ?1 ORDER BY tag");
  q.bind_all(conversation);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  q.reset();
  return out;
}

std::vector<ConversationSummary> read_summaries(SqliteConnection& c, Statement& q) {
  std::vector<ConversationSummary> out;
  while (q.step()) {
    ConversationSummary s;
    s.id = q.int64(0);
    s.inbox = q.text(1);
    s.contact_id = q.int64(2);
    s.contact_name = q.text(3);
    s.state = q.text(4);
    s.controller = q.text(5);
    s.queue = q.text(6);
    s.priority = static_cast<int32_t>(q.int64(7));
    s.assignee = q.text(8);
    s.last_inbound_at = q.int64(9);
    s.queued_at = q.int64(10);
    s.updated_at = q.int64(11);
    s.snoozed_until = q.int64(12);
    s.last_message = q.text(13);
    s.last_inbound_message_id = q.text(14);
    s.csat_asked_at = q.int64(15);
    s.csat_answered_at = q.int64(16);
    s.csat_rating = static_cast<int32_t>(q.int64(17));
    s.csat_comment = q.text(18);
    out.push_back(std::move(s));
  }
  q.reset();
  for (auto& s : out) s.tags = tags_of(c, s.id);
  return out;
}

}  // namespace

std::map<std::string, std::string> select_presence(SqliteConnection& c) {
  Statement& q = c.prepare("SELECT agent_id, status FROM agent_presence");
  std::map<std::string, std::string> out;
  while (q.step()) out[q.text(0)] = q.text(1);
  q.reset();
  return out;
}

std::map<std::string, int64_t> select_agent_loads(SqliteConnection& c) {
  return count_by(c, "SELECT assignee, COUNT(*) FROM conversations WHERE state = 'assigned' GROUP BY assignee");
}

std::map<std::string, int64_t> select_queue_depths(SqliteConnection& c) {
  return count_by(c, "SELECT queue, COUNT(*) FROM conversations WHERE state = 'queued' GROUP BY queue");
}

int64_t select_queued_ahead(SqliteConnection& c, const std::string& queue, int32_t priority) {
  Statement& q =
      c.prepare("SELECT COUNT(*) FROM conversations WHERE state = 'queued' AND queue = ?1 AND priority >= ?2");
  q.bind_all(queue, int64_t{priority});
  q.step();
  int64_t n = q.int64(0);
  q.reset();
  return n;
}

// The last 20 conversations that entered the queue and got an agent's reply.
std::optional<Millis> select_recent_first_response(SqliteConnection& c, const std::string& queue) {
  Statement& q = c.prepare(
      "SELECT CAST(AVG(first_at - queued_at) AS INTEGER) FROM (SELECT v.queued_at, (SELECT MIN(m.created_at) FROM "
      "messages m "
      "WHERE m.conversation_id = v.id AND m.author = 'agent' AND m.created_at >= v.queued_at) AS first_at "
      "FROM conversations v WHERE v.queue = ?1 AND v.queued_at IS NOT NULL AND EXISTS (SELECT 1 FROM messages m "
      "WHERE m.conversation_id = v.id AND m.author = 'agent' AND m.created_at >= v.queued_at) "
      "ORDER BY v.queued_at DESC LIMIT 20)");
  q.bind_all(queue);
  std::optional<Millis> out;
  if (q.step() && !q.is_null(0)) out = q.int64(0);
  q.reset();
  return out;
}

// Filters are bound as parameters that are NULL when unused, so one cached
// statement serves every combination. The queue list travels as JSON.
std::vector<ConversationSummary> select_conversations(SqliteConnection& c, const ConversationFilter& f) {
  std::string sql = std::string(kSummaryColumns) +
                    "WHERE (?1 IS NULL OR v.queue IN (SELECT value FROM json_each(?1)) OR v.assignee = ?7) "
                    "AND (?2 IS NULL OR v.assignee = ?2) AND (?3 IS NULL OR v.state = ?3) "
                    "AND (?4 IS NULL OR v.inbox = ?4) "
                    "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM tags t WHERE t.conversation_id = v.id AND t.tag = ?5)) "
                    "AND (?6 = 0 OR v.id < ?6) ORDER BY v.id DESC LIMIT ?8";
  std::optional<std::string> queues;
  if (f.queues) queues = nlohmann::json(*f.queues).dump();
  Statement& q = c.prepare(sql);
  q.bind_all(queues, f.assignee, f.state, f.inbox, f.tag, f.before_id, f.also_assignee, int64_t{f.limit});
  return read_summaries(c, q);
}

std::optional<ConversationSummary> select_conversation_summary(SqliteConnection& c, Id id) {
  Statement& q = c.prepare(std::string(kSummaryColumns) + "WHERE v.id = ?1");
  q.bind_all(id);
  auto rows = read_summaries(c, q);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<MessageRecord> select_conversation_messages(SqliteConnection& c, Id id) {
  Statement& q = c.prepare(
      "SELECT m.id, m.direction, m.author, COALESCE(m.text, ''), COALESCE(m.attachments_json, '[]'), m.status, "
      "COALESCE(m.created_at, 0), v.inbox FROM messages m JOIN conversations v ON v.id = m.conversation_id "
      "WHERE m.conversation_id = ?1 "
      "UNION ALL SELECT n.id, 'note', n.author, n.text, '[]', 'note', n.created_at, v.inbox "
      "FROM notes n JOIN conversations v ON v.id = n.conversation_id WHERE n.conversation_id = ?1 "
      "ORDER BY 7, 1");
  q.bind_all(id);
  std::vector<MessageRecord> out;
  while (q.step()) {
    out.push_back(
        MessageRecord{q.int64(0), id, q.text(7), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.int64(6)});
  }
  q.reset();
  return out;
}

std::vector<ConversationSummary> select_contact_conversations(SqliteConnection& c, Id contact_id) {
  Statement& q = c.prepare(std::string(kSummaryColumns) + "WHERE v.contact_id = ?1 ORDER BY v.id");
  q.bind_all(contact_id);
  return read_summaries(c, q);
}

std::optional<std::string> select_conversation_recipient(SqliteConnection& c, Id id) {
  Statement& q = c.prepare(
      "SELECT i.external_id FROM conversations v JOIN identities i "
      "ON i.contact_id = v.contact_id AND i.inbox = v.inbox WHERE v.id = ?1");
  q.bind_all(id);
  std::optional<std::string> out;
  if (q.step()) out = q.text(0);
  q.reset();
  return out;
}

void insert_audit(SqliteConnection& c, Millis at, const std::string& actor, const std::string& action,
                  Id conversation_id, const std::string& detail_json) {
  std::optional<int64_t> conversation;
  if (conversation_id != 0) conversation = conversation_id;
  c.prepare("INSERT INTO audit_log(at, actor, action, conversation_id, detail_json) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind_all(at, actor, action, conversation, detail_json)
      .run();
}

std::vector<AuditEntry> select_audit(SqliteConnection& c, Id after, int limit) {
  Statement& q = c.prepare(
      "SELECT id, at, actor, action, COALESCE(conversation_id, 0), detail_json FROM audit_log "
      "WHERE id > ?1 ORDER BY id LIMIT ?2");
  q.bind_all(after, int64_t{limit});
  std::vector<AuditEntry> out;
  while (q.step()) out.push_back(AuditEntry{q.int64(0), q.int64(1), q.text(2), q.text(3), q.int64(4), q.text(5)});
  q.reset();
  return out;
}

}  // namespace switchboard::store::sqlite
