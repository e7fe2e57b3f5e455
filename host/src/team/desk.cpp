// Permissions, action semantics and assignment passes of the desk.
#include "team/desk.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include <httplib.h>

#include <switchboard/text_template.hpp>

#include "log/logger.hpp"
#include "team/credentials.hpp"
#include "team/queue_eta.hpp"

namespace switchboard::team {
namespace {

using nlohmann::json;
using Kind = store::AgentAction::Kind;

bool needs_text(Kind kind) {
  return kind == Kind::Reply || kind == Kind::Note || kind == Kind::Tag || kind == Kind::Untag;
}

}  // namespace

Desk::Desk(store::TeamStore& store, TeamSource team, EventBus& events, Clock clock, RetentionSource retention)
    : store_(store),
      team_(std::move(team)),
      events_(events),
      clock_(std::move(clock)),
      retention_(std::move(retention)) {}

std::optional<std::string> Desk::login(const std::string& agent, const std::string& password) {
  auto team = team_();
  if (!team || team->agent(agent) == nullptr) return std::nullopt;
  auto credential = store_.credential(agent);
  if (!credential || credential->disabled || !verify_password(credential->password_hash, password)) {
    return std::nullopt;
  }
  std::string token = new_token();
  store_.save_token(token_hash(token), agent, clock_() + kTokenTtlMs);
  log::info("desk", "agent " + agent + " logged in");
  return token;
}

std::optional<Principal> Desk::authenticate(const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  auto agent = store_.token_agent(token_hash(token), clock_());
  if (!agent) return std::nullopt;
  auto team = team_();
  const config::AgentConfig* config = team ? team->agent(*agent) : nullptr;
  if (config == nullptr) return std::nullopt;  // removed from the config since login
  return Principal{config->id, config->role, config->departments};
}

void Desk::logout(const std::string& token) { store_.revoke_token(token_hash(token)); }

bool Desk::can_see(const Principal& who, const store::ConversationSummary& c) const {
  return can_see(who, c.queue, c.assignee);
}

bool Desk::can_see(const Principal& who, const std::string& queue, const std::string& assignee) {
  return who.admin() || assignee == who.agent || who.member_of(queue);
}

store::ConversationFilter Desk::visible_to(const Principal& who) const {
  store::ConversationFilter filter;
  if (who.admin()) return filter;
  filter.queues = who.departments;
  filter.also_assignee = who.agent;
  return filter;
}

DeskResult Desk::check_action(const Principal& who, const store::AgentAction& a,
                              const store::ConversationSummary& c) const {
  if (!can_see(who, c)) return {403, "conversation " + std::to_string(c.id) + " is not in your departments", {}};
  if (needs_text(a.kind) && a.text.empty()) return {400, "text must not be empty", {}};
  if (a.kind != Kind::Assign) return {};
  auto team = team_();
  std::string queue = a.queue.empty() ? c.queue : a.queue;
  if (!a.queue.empty() && team->department(a.queue) == nullptr) return {400, "no department '" + a.queue + "'", {}};
  if (!who.admin() && !a.queue.empty() && !who.member_of(c.queue)) {
    return {403, "only members of the conversation's department may transfer it", {}};
  }
  if (a.agent.empty()) return {};
  const config::AgentConfig* target = team->agent(a.agent);
  if (target == nullptr) return {400, "no agent '" + a.agent + "'", {}};
  if (target->role != config::AgentRole::Admin && !queue.empty() && !target->member_of(queue)) {
    return {400, "agent '" + a.agent + "' is not in department '" + queue + "'", {}};
  }
  return {};
}

// What every message the desk sends carries for the channel (send window,
// recipient), whoever wrote it.
void Desk::address(json& payload, const store::ConversationSummary& c) const {
  payload["inbox"] = c.inbox;
  payload["conversation_id"] = std::to_string(c.id);
  payload["recipient"] = {{"id", store_.conversation_recipient(c.id).value_or("")}};
  payload["last_inbound_at"] = c.last_inbound_at;
}

std::string Desk::reply_payload(const store::AgentAction& a, const store::ConversationSummary& c) const {
  json payload = json::parse(a.outbound_json.empty() ? "{}" : a.outbound_json, nullptr, false);
  if (!payload.is_object()) payload = json::object();
  payload["text"] = a.text;
  address(payload, c);
  payload["in_reply_to"] = c.last_inbound_message_id;
  payload["automated"] = false;
  payload["human_agent"] = true;  // channels apply their human-agent rules (Messenger HUMAN_AGENT tag)
  payload["agent"] = a.actor;
  return payload.dump();
}

DeskResult Desk::act(const Principal& who, store::AgentAction action) {
  auto conversation = store_.conversation_summary(action.conversation_id);
  if (!conversation) return {404, "no conversation " + std::to_string(action.conversation_id), {}};
  action.actor = who.agent;
  if (!action.canned_id.empty() && can_see(who, *conversation)) {
    DeskResult rendered = render_canned(who, action, *conversation);
    if (rendered.status != 200) return rendered;
  }
  DeskResult checked = check_action(who, action, *conversation);
  if (checked.status != 200) return checked;
  if (action.kind == Kind::Reply) action.outbound_json = reply_payload(action, *conversation);
  DeskResult result;
  result.outcome = store_.apply_action(action);
  if (!result.outcome.applied) return {409, result.outcome.conflict, result.outcome};
  if (auto after = store_.conversation_summary(action.conversation_id)) {
    announce("conversation.updated", *after);
    if (action.kind == Kind::Resolve) ask_csat(*after);
  }
  rebalance();  // a resolve, snooze or transfer may free capacity or fill a queue
  return result;
}

DeskResult Desk::render_canned(const Principal& who, store::AgentAction& action,
                               const store::ConversationSummary& conversation) const {
  auto team = team_();
  const config::CannedResponse* canned = team->canned(action.canned_id);
  if (action.kind != Kind::Reply) return {400, "canned_id is for replies", {}};
  if (canned == nullptr) return {400, "no canned response '" + action.canned_id + "'", {}};
  if (!canned->usable_by(who.departments, who.admin())) {
    return {403, "canned response '" + action.canned_id + "' is not for your departments", {}};
  }
  action.text = sdk::TextTemplate(canned->text).render(template_scope(conversation, who.agent));
  return {};
}

json Desk::template_scope(const store::ConversationSummary& c, const std::string& agent) const {
  auto team = team_();
  const config::DepartmentConfig* department = team->department(c.queue);
  const config::AgentConfig* agent_config = team->agent(agent);
  return {{"contact", {{"id", std::to_string(c.contact_id)}, {"name", c.contact_name}}},
          {"inbox", c.inbox},
          {"department", department ? department->name : c.queue},
          {"agent", {{"id", agent}, {"name", agent_config ? agent_config->name : agent}}}};
}

// On resolve, when the department asks for ratings: once per conversation,
// through the outbox (whose send-window check decides whether it may go out
// now; a closed window leaves it blocked with the reason, never retried).
void Desk::ask_csat(const store::ConversationSummary& c) {
  auto team = team_();
  const config::DepartmentConfig* department = team ? team->department(c.queue) : nullptr;
  if (department == nullptr || !department->csat.enabled || c.csat_asked_at != 0) return;
  json quick = json::array();
  for (int rating = 1; rating <= 5; ++rating) {
    quick.push_back({{"title", std::to_string(rating) + " ⭐"}, {"payload", std::to_string(rating)}});
  }
  json payload = {{"text", sdk::TextTemplate(department->csat.question).render(template_scope(c, ""))},
                  {"quick_replies", quick},
                  {"automated", true},
                  {"csat", true}};
  address(payload, c);
  if (store_.ask_csat(c.id, payload.dump())) log::info("desk", "CSAT asked in conversation " + std::to_string(c.id));
}

processing::QueueOutlook Desk::queue_outlook(const std::string& queue, int32_t priority) {
  processing::QueueOutlook outlook;
  outlook.position = store_.queued_ahead(queue, priority) + 1;
  auto team = team_();
  const config::DepartmentConfig* department = team ? team->department(queue) : nullptr;
  config::DepartmentConfig fallback;  // a queue without a department: always open, default estimate
  outlook.eta = queue_eta(department ? *department : fallback, store_.recent_first_response_ms(queue), clock_());
  return outlook;
}

std::optional<processing::AwaitedRating> Desk::awaited_rating(store::Id conversation_id, const json& message) {
  auto c = store_.conversation_summary(conversation_id);
  if (!c || c->csat_asked_at == 0 || c->csat_answered_at != 0) return std::nullopt;
  if (c->state != "resolved" && c->state != "bot") return std::nullopt;  // back with a human: a message again
  auto team = team_();
  const config::DepartmentConfig* department = team ? team->department(c->queue) : nullptr;
  if (department == nullptr || department->csat.thanks.empty()) return processing::AwaitedRating{c->queue, ""};
  json scope = message;
  scope["department"] = department->name;
  return processing::AwaitedRating{c->queue, sdk::TextTemplate(department->csat.thanks).render(scope)};
}

bool Desk::erase_identity(const std::string& inbox, const std::string& external_id) {
  auto contact = store_.contact_by_identity(inbox, external_id);
  return contact && erase_contact("system", *contact);
}

DeskResult Desk::set_presence(const Principal& who, const std::string& status) {
  if (status != "online" && status != "away" && status != "offline") {
    return {400, "status must be online, away or offline", {}};
  }
  store_.set_presence(who.agent, status);
  events_.publish({{"type", "agent.presence"}, {"agent", who.agent}, {"status", status}});
  rebalance();
  return {};
}

void Desk::rebalance() {
  auto team = team_();
  if (!team) return;
  store::Millis now = clock_();
  for (store::Id id : store_.wake_snoozed(now)) {
    if (auto c = store_.conversation_summary(id)) announce("conversation.updated", *c);
  }
  auto presence = store_.presence();
  for (const auto& department : team->departments) {
    // A closed department's agents get nothing: its backlog waits for the
    // opening (and its SLA clock stands still meanwhile).
    if (department.strategy == config::AssignStrategy::Manual || !department.is_open(now)) continue;
    store::AssignmentPass pass;
    pass.queue = department.id;
    pass.now = now;
    pass.strategy = department.strategy == config::AssignStrategy::LeastBusy
                        ? store::AssignmentPass::Strategy::LeastBusy
                        : store::AssignmentPass::Strategy::RoundRobin;
    for (const auto& agent : team->agents) {
      bool online = presence.count(agent.id) && presence.at(agent.id) == "online";
      if (online && agent.member_of(department.id)) pass.capacity[agent.id] = agent.capacity;
    }
    if (pass.capacity.empty()) continue;
    for (const auto& assigned : store_.assign_backlog(pass)) {
      if (auto c = store_.conversation_summary(assigned.conversation_id)) announce("conversation.assigned", *c);
    }
  }
}

void Desk::tick() {
  rebalance();
  check_slas();
  int64_t days = retention_ ? retention_() : 0;
  if (days <= 0) return;
  constexpr store::Millis kHour = 3600 * 1000;
  store::Millis now = clock_();
  {
    std::lock_guard<std::mutex> lock(purge_mutex_);
    if (now - last_purge_ < kHour) return;
    last_purge_ = now;
  }
  int64_t purged = store_.purge_resolved(now - days * 24 * kHour);
  if (purged == 0) return;
  store_.audit("system", "retention_purge", json{{"conversations", purged}, {"days", days}}.dump());
  log::info("desk", "retention: deleted " + std::to_string(purged) + " resolved conversation(s) older than " +
                        std::to_string(days) + " days");
}

std::optional<json> Desk::export_contact(const Principal& who, store::Id contact_id) {
  auto data = store_.export_contact(contact_id);
  if (data) store_.audit(who.agent, "contact_export", json{{"contact_id", contact_id}}.dump());
  return data;
}

bool Desk::erase_contact(const std::string& actor, store::Id contact_id) {
  if (!store_.erase_contact(contact_id)) return false;
  store_.audit(actor, "contact_delete", json{{"contact_id", contact_id}}.dump());
  events_.publish({{"type", "contact.deleted"}, {"contact_id", contact_id}});
  return true;
}

void Desk::check_slas() {
  auto team = team_();
  if (!team) return;
  constexpr store::Millis kMinute = 60 * 1000;
  for (const auto& department : team->departments) {
    const config::SlaConfig& sla = department.sla;
    if (sla.first_response_minutes == 0 && sla.next_response_minutes == 0) continue;
    store::SlaRule rule{
        department.id, sla.first_response_minutes * kMinute, sla.next_response_minutes * kMinute,
        [&department](store::Millis since, store::Millis now) { return department.open_ms_between(since, now); }};
    for (const auto& breach : store_.record_sla_breaches(rule, clock_())) escalate(department, breach);
  }
}

void Desk::escalate(const config::DepartmentConfig& department, const store::SlaBreach& breach) {
  log::warn("desk", "SLA " + breach.kind + " breached: conversation " + std::to_string(breach.conversation_id) +
                        " in " + department.id);
  if (breach_hook_) breach_hook_(breach);
  auto current = store_.conversation_summary(breach.conversation_id);
  if (!current) return;
  store::AgentAction action;
  action.actor = "system";
  action.conversation_id = breach.conversation_id;
  switch (department.sla.escalation) {
    case config::EscalationAction::None: break;
    case config::EscalationAction::RaisePriority:
      action.kind = store::AgentAction::Kind::SetPriority;
      action.priority = std::min(current->priority + 1, 3);
      store_.apply_action(action);
      break;
    case config::EscalationAction::Reassign: {
      // Another online member with room, the least loaded; else it waits
      // at a higher priority for whoever frees up first.
      auto team = team_();
      auto presence = store_.presence();
      auto loads = store_.agent_loads();
      std::string best;
      for (const auto& agent : team->agents) {
        bool online = presence.count(agent.id) && presence.at(agent.id) == "online";
        int64_t load = loads.count(agent.id) ? loads.at(agent.id) : 0;
        if (!online || agent.id == breach.assignee || !agent.member_of(department.id) || load >= agent.capacity)
          continue;
        if (best.empty() || load < (loads.count(best) ? loads.at(best) : 0)) best = agent.id;
      }
      action.kind = best.empty() ? store::AgentAction::Kind::SetPriority : store::AgentAction::Kind::Assign;
      action.agent = best;
      action.priority = std::min(current->priority + 1, 3);
      store_.apply_action(action);
      break;
    }
    case config::EscalationAction::Notify: notify(department.sla.notify_url, breach); break;
  }
  if (auto after = store_.conversation_summary(breach.conversation_id)) announce("conversation.sla_breached", *after);
}

// The supervisor's webhook: a JSON POST, best effort, short timeout (the
// timer thread must not hang on it); the breach is in the audit log anyway.
void Desk::notify(const std::string& url, const store::SlaBreach& breach) {
  json body = {{"type", "sla_breach"},        {"conversation_id", breach.conversation_id},
               {"kind", breach.kind},         {"queue", breach.queue},
               {"assignee", breach.assignee}, {"waiting_since", breach.waiting_since}};
  auto scheme_end = url.find("://");
  auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  std::string origin = url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client client(origin);
  client.set_connection_timeout(3, 0);
  client.set_read_timeout(3, 0);
  auto res = client.Post(path, body.dump(), "application/json");
  if (!res || res->status >= 300) log::warn("desk", "SLA notification to " + origin + " failed");
}

json Desk::event_of(const std::string& type, const store::ConversationSummary& c) {
  return {{"type", type},           {"conversation_id", c.id}, {"queue", c.queue},
          {"assignee", c.assignee}, {"state", c.state},        {"priority", c.priority}};
}

void Desk::announce(const std::string& type, const store::ConversationSummary& c) {
  events_.publish(event_of(type, c));
}

}  // namespace switchboard::team
