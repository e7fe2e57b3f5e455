// Report queries. Every range is [?1, ?2) in ms since the epoch; "handed
// off" means a pipeline run in the range chose a queue (decision_log.queue).
// In the department-scoped queries, ReportQuery::departments (a JSON array,
// or NULL for all) is bound as ?3 and read with json_each: a conversation is
// in a department's report when its queue is one of them or a run handed it
// off to one of them. The desk-wide queries (per day, top intents…) are not
// run for a lead and use ?3 for other things (the UTC offset).
#include "store/sqlite/report_queries.hpp"

namespace switchboard::store::sqlite {
namespace {

// Runs one query with `params` bound as ?1, ?2… and hands every row to `row`.
template <class Row, class... Params>
void each_row(SqliteConnection& c, const std::string& sql, Row&& row, const Params&... params) {
  Statement& s = c.prepare(sql);
  s.bind_all(params...);
  while (s.step()) row(s);
  s.reset();
}

// The conversations of the departments in ?3 (a JSON array of queue ids).
#define SB_SCOPED_CONVERSATIONS                                                    \
  "SELECT id FROM conversations WHERE queue IN (SELECT value FROM json_each(?3)) " \
  "UNION SELECT conversation_id FROM decision_log "                                \
  "WHERE json_extract(decision_json, '$.queue') IN (SELECT value FROM json_each(?3))"

void read_per_day(SqliteConnection& c, const ReportQuery& q, ReportData& out) {
  each_row(
      c,
      "SELECT date(m.created_at / 1000 + ?3, 'unixepoch') AS day, c.inbox, COUNT(DISTINCT m.conversation_id) "
      "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
      "WHERE m.direction = 'in' AND m.created_at >= ?1 AND m.created_at < ?2 "
      "GROUP BY day, c.inbox ORDER BY day, c.inbox",
      [&](Statement& s) {
        out.per_day.push_back({s.text(0), s.text(1), s.int64(2)});
      },
      q.from, q.to, q.utc_offset_s);
}

void read_conversation_count(SqliteConnection& c, const ReportQuery& q, ReportData& out) {
  each_row(
      c,
      "SELECT COUNT(DISTINCT conversation_id) FROM messages "
      "WHERE direction = 'in' AND created_at >= ?1 AND created_at < ?2",
      [&](Statement& s) { out.conversations = s.int64(0); }, q.from, q.to);
}

// A person was needed when a run handed the conversation off, or an agent
// replied, in the range. The wait starts at the first handoff in the range,
// else at the customer's first message in it.
void read_human_responses(SqliteConnection& c, const ReportQuery& q, ReportData& out) {
  each_row(
      c,
      "WITH handoffs AS (SELECT conversation_id AS id, MIN(created_at) AS at FROM decision_log "
      "  WHERE created_at >= ?1 AND created_at < ?2 AND json_extract(decision_json, '$.queue') IS NOT NULL "
      "  GROUP BY conversation_id), "
      "firsts AS (SELECT conversation_id AS id, MIN(created_at) AS at FROM messages "
      "  WHERE direction = 'in' AND created_at >= ?1 AND created_at < ?2 GROUP BY conversation_id), "
      "replied AS (SELECT DISTINCT conversation_id AS id FROM messages "
      "  WHERE author = 'agent' AND created_at >= ?1 AND created_at < ?2), "
      "needed AS (SELECT id FROM handoffs UNION SELECT id FROM replied), "
      "waits AS (SELECT n.id, COALESCE(h.at, f.at, "
      "  (SELECT MIN(created_at) FROM messages WHERE conversation_id = n.id AND author = 'agent' "
      "   AND created_at >= ?1)) AS since "
      "  FROM needed n LEFT JOIN handoffs h ON h.id = n.id LEFT JOIN firsts f ON f.id = n.id) "
      "SELECT w.id, w.since, (SELECT MIN(created_at) FROM messages o WHERE o.conversation_id = w.id "
      "  AND o.author = 'agent' AND o.direction = 'out' AND o.created_at >= w.since) "
      "FROM waits w WHERE ?3 IS NULL OR w.id IN (" SB_SCOPED_CONVERSATIONS ") ORDER BY w.id",
      [&](Statement& s) {
        out.human.push_back({s.int64(0), s.int64(1), s.optional_int64(2).value_or(0)});
      },
      q.from, q.to, q.departments);
}

// The `q.top` most frequent names of a (name, count) query.
std::vector<NamedCount> top_counts(SqliteConnection& c, const std::string& sql, const ReportQuery& q) {
  std::vector<NamedCount> out;
  each_row(
      c, sql,
      [&](Statement& s) {
        out.push_back({s.text(0), s.int64(1)});
      },
      q.from, q.to, int64_t{q.top});
  return out;
}

constexpr const char* kTopIntents =
    "SELECT json_extract(decision_json, '$.intent.name') AS intent, COUNT(*) AS n FROM decision_log "
    "WHERE created_at >= ?1 AND created_at < ?2 AND intent IS NOT NULL "
    "GROUP BY intent ORDER BY n DESC, intent LIMIT ?3";

// The faq step tags the runs it could not answer "faq_miss".
constexpr const char* kTopFaqMisses =
    "SELECT m.text, COUNT(*) AS n FROM decision_log d JOIN messages m ON m.event_id = d.event_id "
    "WHERE d.created_at >= ?1 AND d.created_at < ?2 "
    "AND EXISTS (SELECT 1 FROM json_each(d.decision_json, '$.tags') WHERE value = 'faq_miss') "
    "GROUP BY m.text ORDER BY n DESC, m.text LIMIT ?3";

void read_queues(SqliteConnection& c, const ReportQuery& q, ReportData& out) {
  each_row(
      c,
      "WITH handed AS (SELECT json_extract(decision_json, '$.queue') AS queue, "
      "  COUNT(DISTINCT conversation_id) AS n FROM decision_log "
      "  WHERE created_at >= ?1 AND created_at < ?2 AND queue IS NOT NULL GROUP BY queue), "
      "open AS (SELECT queue, SUM(state = 'queued') AS waiting, SUM(state = 'assigned') AS assigned "
      "  FROM conversations WHERE queue IS NOT NULL AND state IN ('queued', 'assigned') GROUP BY queue), "
      "names AS (SELECT queue FROM handed UNION SELECT queue FROM open) "
      "SELECT n.queue, COALESCE(h.n, 0), COALESCE(o.waiting, 0), COALESCE(o.assigned, 0) FROM names n "
      "LEFT JOIN handed h ON h.queue = n.queue LEFT JOIN open o ON o.queue = n.queue "
      "WHERE ?3 IS NULL OR n.queue IN (SELECT value FROM json_each(?3)) ORDER BY n.queue",
      [&](Statement& s) {
        out.queues.push_back({s.text(0), s.int64(1), s.int64(2), s.int64(3)});
      },
      q.from, q.to, q.departments);
}

// Who replied is in the outbox payload (Desk::reply_payload's "agent"). With
// departments, only replies in their conversations count (the API keeps the
// rows of their members).
void read_agents(SqliteConnection& c, const ReportQuery& q, ReportData& out) {
  each_row(
      c,
      "SELECT json_extract(o.payload_json, '$.agent') AS agent, COUNT(*), COUNT(DISTINCT m.conversation_id) "
      "FROM messages m JOIN outbox o ON o.id = m.outbox_id "
      "WHERE m.author = 'agent' AND m.created_at >= ?1 AND m.created_at < ?2 AND agent IS NOT NULL "
      "AND (?3 IS NULL OR m.conversation_id IN (" SB_SCOPED_CONVERSATIONS
      ")) "
      "GROUP BY agent ORDER BY agent",
      [&](Statement& s) {
        out.agents.push_back({s.text(0), s.int64(1), s.int64(2)});
      },
      q.from, q.to, q.departments);
}

void read_breaches(SqliteConnection& c, const ReportQuery& q, ReportData& out) {
  each_row(
      c,
      "SELECT queue, kind, COUNT(*) FROM sla_breaches WHERE breached_at >= ?1 AND breached_at < ?2 "
      "AND (?3 IS NULL OR queue IN (SELECT value FROM json_each(?3))) "
      "GROUP BY queue, kind ORDER BY queue, kind",
      [&](Statement& s) {
        out.breaches.push_back({s.text(0), s.text(1), s.int64(2)});
      },
      q.from, q.to, q.departments);
}

void read_csat(SqliteConnection& c, const ReportQuery& q, ReportData& out) {
  each_row(
      c,
      "SELECT csat_rating, COUNT(*) FROM conversations WHERE csat_rating IS NOT NULL "
      "AND csat_answered_at >= ?1 AND csat_answered_at < ?2 "
      "AND (?3 IS NULL OR id IN (" SB_SCOPED_CONVERSATIONS ")) GROUP BY csat_rating ORDER BY csat_rating",
      [&](Statement& s) {
        out.csat.push_back({std::to_string(s.int64(0)), s.int64(1)});
      },
      q.from, q.to, q.departments);
  each_row(
      c,
      "SELECT COUNT(*) FROM conversations WHERE csat_asked_at >= ?1 AND csat_asked_at < ?2 "
      "AND (?3 IS NULL OR id IN (" SB_SCOPED_CONVERSATIONS "))",
      [&](Statement& s) { out.csat_asked = s.int64(0); }, q.from, q.to, q.departments);
}

#undef SB_SCOPED_CONVERSATIONS

}  // namespace

ReportData select_report(SqliteConnection& c, const ReportQuery& query) {
  // One read transaction: every number comes from the same snapshot.
  c.exec("BEGIN");
  ReportData out;
  try {
    // The sections that are not per department are left out of a department
    // report (the API omits them and says so in its "scope").
    if (!query.departments) {
      read_per_day(c, query, out);
      read_conversation_count(c, query, out);
      out.intents = top_counts(c, kTopIntents, query);
      out.faq_misses = top_counts(c, kTopFaqMisses, query);
    }
    read_human_responses(c, query, out);
    read_queues(c, query, out);
    read_agents(c, query, out);
    read_breaches(c, query, out);
    read_csat(c, query, out);
  } catch (...) {
    c.reset_statements();
    c.exec("ROLLBACK");
    throw;
  }
  c.exec("COMMIT");
  return out;
}

}  // namespace switchboard::store::sqlite
