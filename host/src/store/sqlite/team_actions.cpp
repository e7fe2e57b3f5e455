// What agents do to conversations, and the queue's backlog assignment.
//
// The state machine (DESIGN.md §3): an assignment or a human reply gives
// control to the human; only resolve or "return to bot" gives it back.
#include "store/sqlite/team_actions.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "store/sqlite/outbox_queue.hpp"
#include "store/sqlite/team_records.hpp"

namespace switchboard::store::sqlite {
namespace {

using nlohmann::json;
using Kind = AgentAction::Kind;

struct Current {
  std::string inbox;
  std::string state;
  std::string queue;
  std::string assignee;
};

std::optional<Current> current_of(SqliteConnection& c, Id id) {
  Statement& q =
      c.prepare("SELECT inbox, state, COALESCE(queue, ''), COALESCE(assignee, '') FROM conversations WHERE id = ?1");
  q.bind_all(id);
  std::optional<Current> out;
  if (q.step()) out = Current{q.text(0), q.text(1), q.text(2), q.text(3)};
  q.reset();
  return out;
}

void set_assigned(SqliteConnection& c, Id id, const std::string& agent, const std::string& queue, Millis now) {
  c.prepare(
       "UPDATE conversations SET state = 'assigned', controller = 'human', assignee = ?2, last_agent = ?2, "
       "queue = CASE WHEN ?3 = '' THEN queue ELSE ?3 END, assigned_at = ?4, snoozed_until = NULL, updated_at = ?4 "
       "WHERE id = ?1")
      .bind_all(id, agent, queue, now)
      .run();
}

void set_queued(SqliteConnection& c, Id id, const std::string& queue, Millis now) {
  c.prepare(
       "UPDATE conversations SET state = 'queued', controller = 'human', assignee = NULL, queue = ?2, "
       "snoozed_until = NULL, updated_at = ?3 WHERE id = ?1")
      .bind_all(id, queue, now)
      .run();
}

void set_bot(SqliteConnection& c, Id id, const char* state, Millis now) {
  c.prepare(
       "UPDATE conversations SET state = ?2, controller = 'bot', assignee = NULL, snoozed_until = NULL, "
       "queue = CASE WHEN ?2 = 'bot' THEN NULL ELSE queue END, updated_at = ?3 WHERE id = ?1")
      .bind_all(id, std::string(state), now)
      .run();
}

// A human reply: into the outbox like any other reply, and control to the human.
Id reply(SqliteConnection& c, const AgentAction& a, const Current& now_state, Millis now) {
  Id outbox_id = enqueue_reply(c, a.conversation_id, now_state.inbox, OutboxItem{a.outbound_json, "agent"}, now);
  if (now_state.assignee.empty() && a.actor != "system") {
    set_assigned(c, a.conversation_id, a.actor, "", now);
  } else {
    c.prepare("UPDATE conversations SET controller = 'human', updated_at = ?2 WHERE id = ?1")
        .bind_all(a.conversation_id, now)
        .run();
  }
  return outbox_id;
}

const char* action_name(Kind kind) {
  switch (kind) {
    case Kind::Reply: return "reply";
    case Kind::Note: return "note";
    case Kind::Tag: return "tag";
    case Kind::Untag: return "untag";
    case Kind::Assign: return "assign";
    case Kind::Claim: return "claim";
    case Kind::Resolve: return "resolve";
    case Kind::Reopen: return "reopen";
    case Kind::Snooze: return "snooze";
    case Kind::ReturnToBot: return "return_to_bot";
    case Kind::SetPriority: return "priority";
  }
  return "unknown";
}

json detail_of(const AgentAction& a) {
  json d = json::object();
  if (a.kind == Kind::Tag || a.kind == Kind::Untag) d["tag"] = a.text;
  if (a.kind == Kind::Resolve && !a.text.empty()) d["reason"] = a.text;
  if (a.kind == Kind::Assign) d["agent"] = a.agent, d["queue"] = a.queue;
  if (a.kind == Kind::Snooze) d["until"] = a.until;
  if (a.kind == Kind::SetPriority) d["priority"] = a.priority;
  return d;  // texts of replies and notes stay out of the audit log (they are in messages/notes)
}

// Runs one action on a conversation that exists; returns why not, or "".
std::string run(SqliteConnection& c, const AgentAction& a, const Current& cur, Millis now, ActionOutcome& out) {
  switch (a.kind) {
    case Kind::Reply: out.outbox_id = reply(c, a, cur, now); return "";
    case Kind::Note:
      c.prepare("INSERT INTO notes(conversation_id, author, text, created_at) VALUES (?1, ?2, ?3, ?4)")
          .bind_all(a.conversation_id, a.actor, a.text, now)
          .run();
      return "";
    case Kind::Tag:
      c.prepare("INSERT INTO tags(conversation_id, tag, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
          .bind_all(a.conversation_id, a.text, now)
          .run();
      return "";
    case Kind::Untag:
      c.prepare("DELETE FROM tags WHERE conversation_id = ?1 AND tag = ?2").bind_all(a.conversation_id, a.text).run();
      return "";
    case Kind::Claim:
      if (cur.state == "assigned") return "already assigned to " + cur.assignee;
      if (cur.state != "queued") return "only a queued conversation can be claimed (it is " + cur.state + ")";
      set_assigned(c, a.conversation_id, a.actor, "", now);
      return "";
    case Kind::Assign:
      if (!a.agent.empty()) {
        set_assigned(c, a.conversation_id, a.agent, a.queue, now);
      } else {
        std::string queue = a.queue.empty() ? cur.queue : a.queue;
        if (queue.empty()) return "a transfer needs a queue";
        set_queued(c, a.conversation_id, queue, now);
      }
      return "";
    case Kind::Resolve:
      if (cur.state == "resolved") return "already resolved";
      set_bot(c, a.conversation_id, "resolved", now);
      return "";
    case Kind::Reopen:
      if (cur.state != "resolved") return "only a resolved conversation can be reopened";
      if (cur.queue.empty()) {
        set_bot(c, a.conversation_id, "bot", now);
      } else {
        set_queued(c, a.conversation_id, cur.queue, now);
      }
      return "";
    case Kind::Snooze:
      if (a.until <= now) return "snooze needs a time in the future";
      c.prepare("UPDATE conversations SET state = 'snoozed', snoozed_until = ?2, updated_at = ?3 WHERE id = ?1")
          .bind_all(a.conversation_id, a.until, now)
          .run();
      return "";
    case Kind::ReturnToBot: set_bot(c, a.conversation_id, "bot", now); return "";
    case Kind::SetPriority:
      c.prepare("UPDATE conversations SET priority = ?2, updated_at = ?3 WHERE id = ?1")
          .bind_all(a.conversation_id, int64_t{a.priority}, now)
          .run();
      return "";
  }
  return "unknown action";
}

// The contact's last agent, when one handled any of its conversations.
std::string sticky_agent(SqliteConnection& c, Id conversation_id) {
  Statement& q = c.prepare(
      "SELECT o.last_agent FROM conversations v JOIN conversations o ON o.contact_id = v.contact_id "
      "WHERE v.id = ?1 AND o.last_agent IS NOT NULL ORDER BY o.updated_at DESC LIMIT 1");
  q.bind_all(conversation_id);
  std::string agent;
  if (q.step()) agent = q.text(0);
  q.reset();
  return agent;
}

std::string cursor_of(SqliteConnection& c, const std::string& queue) {
  Statement& q = c.prepare("SELECT last_agent FROM assignment_cursors WHERE queue = ?1");
  q.bind_all(queue);
  std::string agent;
  if (q.step()) agent = q.text(0);
  q.reset();
  return agent;
}

// Round-robin: the first agent with room after the cursor, wrapping around.
// Least-busy: the lowest load, ties broken the same way.
std::string pick(const AssignmentPass& pass, const std::map<std::string, int64_t>& loads, const std::string& cursor) {
  std::vector<std::string> order;
  for (const auto& [agent, capacity] : pass.capacity) {
    if (capacity > 0) order.push_back(agent);  // std::map: sorted by id
  }
  auto after = std::upper_bound(order.begin(), order.end(), cursor);
  std::rotate(order.begin(), after, order.end());
  auto load = [&](const std::string& a) { return loads.count(a) ? loads.at(a) : 0; };
  std::string best;
  int64_t best_load = std::numeric_limits<int64_t>::max();
  for (const auto& agent : order) {
    if (load(agent) >= pass.capacity.at(agent)) continue;
    if (pass.strategy == AssignmentPass::Strategy::RoundRobin) return agent;
    if (load(agent) < best_load) best = agent, best_load = load(agent);
  }
  return best;
}

std::optional<Id> oldest_queued(SqliteConnection& c, const std::string& queue) {
  Statement& q = c.prepare(
      "SELECT id FROM conversations WHERE state = 'queued' AND queue = ?1 "
      "ORDER BY priority DESC, queued_at, id LIMIT 1");
  q.bind_all(queue);
  std::optional<Id> out;
  if (q.step()) out = q.int64(0);
  q.reset();
  return out;
}

}  // namespace

ActionOutcome apply_agent_action(SqliteConnection& c, const AgentAction& a, Millis now) {
  ActionOutcome out;
  auto cur = current_of(c, a.conversation_id);
  if (!cur) {
    out.conflict = "no conversation " + std::to_string(a.conversation_id);
    return out;
  }
  out.conflict = run(c, a, *cur, now, out);
  if (!out.conflict.empty()) return out;
  out.applied = true;
  insert_audit(c, now, a.actor, action_name(a.kind), a.conversation_id, detail_of(a).dump());
  return out;
}

std::vector<Assignment> assign_queue_backlog(SqliteConnection& c, const AssignmentPass& pass) {
  std::vector<Assignment> done;
  std::map<std::string, int64_t> loads = select_agent_loads(c);
  std::string cursor = cursor_of(c, pass.queue);
  while (auto id = oldest_queued(c, pass.queue)) {
    std::string sticky = sticky_agent(c, *id);
    bool sticky_ok = !sticky.empty() && pass.capacity.count(sticky) && loads[sticky] < pass.capacity.at(sticky);
    std::string agent = sticky_ok ? sticky : pick(pass, loads, cursor);
    if (agent.empty()) break;  // nobody has room: the backlog waits
    set_assigned(c, *id, agent, "", pass.now);
    ++loads[agent];
    json detail = {{"agent", agent}, {"queue", pass.queue}, {"sticky", sticky_ok}};
    insert_audit(c, pass.now, "system", "auto_assign", *id, detail.dump());
    if (!sticky_ok) {
      cursor = agent;
      c.prepare(
           "INSERT INTO assignment_cursors(queue, last_agent) VALUES (?1, ?2) "
           "ON CONFLICT(queue) DO UPDATE SET last_agent = excluded.last_agent")
          .bind_all(pass.queue, agent)
          .run();
    }
    done.push_back(Assignment{*id, agent, sticky_ok});
  }
  return done;
}

std::vector<Id> wake_snoozed_conversations(SqliteConnection& c, Millis now) {
  Statement& q = c.prepare("SELECT id FROM conversations WHERE state = 'snoozed' AND snoozed_until <= ?1");
  q.bind_all(now);
  std::vector<Id> ids;
  while (q.step()) ids.push_back(q.int64(0));
  q.reset();
  for (Id id : ids) {
    c.prepare(
         "UPDATE conversations SET snoozed_until = NULL, updated_at = ?2, state = CASE "
         "WHEN assignee IS NOT NULL THEN 'assigned' WHEN queue IS NOT NULL AND controller = 'human' THEN 'queued' "
         "ELSE 'bot' END WHERE id = ?1")
        .bind_all(id, now)
        .run();
    insert_audit(c, now, "system", "wake", id, "{}");
  }
  return ids;
}

// Waiting since: the queue entry when no agent has replied since; else the
// first customer message after the agent's last reply.
std::vector<SlaBreach> insert_sla_breaches(SqliteConnection& c, const SlaRule& rule, Millis now) {
  Statement& q = c.prepare(
      "WITH w AS (SELECT v.id, COALESCE(v.assignee, '') AS assignee, v.queued_at, "
      "(SELECT MAX(created_at) FROM messages m WHERE m.conversation_id = v.id AND m.author = 'agent' "
      "AND m.created_at >= v.queued_at) AS agent_at, "
      "(SELECT MAX(created_at) FROM messages m WHERE m.conversation_id = v.id AND m.author = 'customer') AS "
      "customer_at "
      "FROM conversations v WHERE v.queue = ?1 AND v.state IN ('queued', 'assigned') AND v.queued_at IS NOT NULL), "
      "s AS (SELECT id, assignee, CASE WHEN agent_at IS NULL THEN 'first_response' ELSE 'next_response' END AS kind, "
      "CASE WHEN agent_at IS NULL THEN queued_at ELSE (SELECT MIN(created_at) FROM messages m "
      "WHERE m.conversation_id = w.id AND m.author = 'customer' AND m.created_at > w.agent_at) END AS since "
      "FROM w WHERE agent_at IS NULL OR customer_at > agent_at) "
      "SELECT id, assignee, kind, since FROM s WHERE since IS NOT NULL AND "
      "((kind = 'first_response' AND ?2 > 0 AND ?4 - since > ?2) OR (kind = 'next_response' AND ?3 > 0 AND "
      "?4 - since > ?3))");
  // Wall-clock time bounds business time from above: the query narrows by
  // it, the rule's measure decides.
  q.bind_all(rule.queue, rule.first_response_ms, rule.next_response_ms, now);
  std::vector<SlaBreach> candidates;
  while (q.step()) {
    SlaBreach b{q.int64(0), q.text(2), rule.queue, q.text(1), q.int64(3)};
    Millis waited = rule.counted ? rule.counted(b.waiting_since, now) : now - b.waiting_since;
    Millis limit = b.kind == "first_response" ? rule.first_response_ms : rule.next_response_ms;
    if (waited > limit) candidates.push_back(std::move(b));
  }
  q.reset();
  std::vector<SlaBreach> fresh;
  for (const auto& b : candidates) {
    c.prepare(
         "INSERT INTO sla_breaches(conversation_id, started_at, kind, queue, assignee, breached_at) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING")
        .bind_all(b.conversation_id, b.waiting_since, b.kind, b.queue, b.assignee, now)
        .run();
    if (c.changes() != 1) continue;  // escalated before
    json decision = {
        {"sla_breach", b.kind}, {"queue", b.queue}, {"assignee", b.assignee}, {"waiting_since", b.waiting_since}};
    c.prepare(
         "INSERT INTO decision_log(event_id, conversation_id, decision_json, created_at) VALUES (NULL, ?1, ?2, ?3)")
        .bind_all(b.conversation_id, decision.dump(), now)
        .run();
    insert_audit(c, now, "system", "sla_breach", b.conversation_id, decision.dump());
    fresh.push_back(b);
  }
  return fresh;
}

// The mark and the question commit together: a crash between them can
// neither lose the question nor let it be asked again.
bool ask_csat_once(SqliteConnection& c, Id conversation_id, const std::string& outbound_json, Millis now) {
  c.prepare("UPDATE conversations SET csat_asked_at = ?2 WHERE id = ?1 AND csat_asked_at IS NULL")
      .bind_all(conversation_id, now)
      .run();
  if (c.changes() != 1) return false;
  auto cur = current_of(c, conversation_id);
  enqueue_reply(c, conversation_id, cur->inbox, OutboxItem{outbound_json, "bot"}, now);
  insert_audit(c, now, "system", "csat_asked", conversation_id, "{}");
  return true;
}

}  // namespace switchboard::store::sqlite
