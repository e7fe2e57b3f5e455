// HTTP glue of the agent API: parse, authenticate, call the desk, answer.
#include "api/agent_api.hpp"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "api/api_response.hpp"
#include "api/web_session.hpp"
#include "team/credentials.hpp"

namespace switchboard::api {
namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;
using Kind = store::AgentAction::Kind;

// null until a rating was asked; then {rating, comment, asked_at, answered_at}
// with nulls for what the customer has not given.
json csat_json(const store::ConversationSummary& c) {
  if (c.csat_asked_at == 0) return nullptr;
  auto or_null = [](auto value, bool present) { return present ? json(value) : json(nullptr); };
  return {{"rating", or_null(c.csat_rating, c.csat_rating != 0)},
          {"comment", or_null(c.csat_comment, !c.csat_comment.empty())},
          {"asked_at", c.csat_asked_at},
          {"answered_at", or_null(c.csat_answered_at, c.csat_answered_at != 0)}};
}

SessionCredential credential_of(const Request& req) {
  return session_credential(req.get_header_value("Authorization"), req.get_header_value("Cookie"));
}

// Behind a TLS-terminating proxy the cookie gets Secure; plain-http loopback
// (the demo, the tests) cannot use it.
bool behind_tls(const Request& req) { return req.get_header_value("X-Forwarded-Proto") == "https"; }

json to_json(const store::ConversationSummary& c) {
  return {{"id", c.id},
          {"inbox", c.inbox},
          {"contact", {{"id", c.contact_id}, {"name", c.contact_name}}},
          {"state", c.state},
          {"controller", c.controller},
          {"queue", c.queue},
          {"priority", c.priority},
          {"assignee", c.assignee},
          {"last_inbound_at", c.last_inbound_at},
          {"queued_at", c.queued_at},
          {"updated_at", c.updated_at},
          {"snoozed_until", c.snoozed_until},
          {"last_message", c.last_message},
          {"tags", c.tags},
          {"csat", csat_json(c)}};
}

json to_json(const store::MessageRecord& m) {
  json attachments = json::parse(m.attachments_json, nullptr, false);
  return {{"id", m.id},
          {"direction", m.direction},
          {"author", m.author},
          {"text", m.text},
          {"attachments", attachments.is_discarded() ? json::array() : attachments},
          {"status", m.status},
          {"inbox", m.inbox},
          {"created_at", m.created_at}};
}

json to_json(const store::ContactRecord& c) {
  return {{"id", c.id}, {"name", c.name}, {"phone", c.phone}, {"email", c.email}, {"identities", c.identities}};
}

std::optional<std::string> param(const Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

int64_t int_param(const Request& req, const char* name, int64_t fallback) {
  auto text = param(req, name);
  if (!text) return fallback;
  try {
    return std::stoll(*text);
  } catch (const std::exception&) {
    return fallback;
  }
}

// Everything an authenticated route needs; answers 401 itself.
class Api {
 public:
  Api(team::Desk& desk, SendWindowSource send_window) : desk_(desk), send_window_(std::move(send_window)) {}

  void install(httplib::Server& server) {
    server.Post("/api/v1/login", [this](const Request& q, Response& r) { login(q, r); });
    server.Post("/api/v1/logout", authed([this](const team::Principal&, const Request& q, Response& r) {
                  SessionCredential credential = credential_of(q);
                  desk_.logout(credential.token);
                  if (credential.cookie) r.set_header("Set-Cookie", expired_session_cookie());
                  r.status = 204;
                }));
    server.Get("/api/v1/me", authed([this](const team::Principal& p, const Request& q, Response& r) { me(p, q, r); }));
    server.Put("/api/v1/me/presence", authed([this](const team::Principal& p, const Request& q, Response& r) {
                 json body = parse(q, r);
                 if (body.is_discarded()) return;
                 answer(r, desk_.set_presence(p, body.value("status", "")));
               }));
    server.Get("/api/v1/queues",
               authed([this](const team::Principal& p, const Request&, Response& r) { queues(p, r); }));
    server.Get("/api/v1/agents", authed([this](const team::Principal&, const Request&, Response& r) { agents(r); }));
    server.Get("/api/v1/conversations",
               authed([this](const team::Principal& p, const Request& q, Response& r) { list(p, q, r); }));
    server.Get(R"(/api/v1/conversations/(\d+))",
               authed([this](const team::Principal& p, const Request& q, Response& r) { show(p, q, r); }));
    action_route(server, "reply", Kind::Reply);
    action_route(server, "notes", Kind::Note);
    action_route(server, "tags", Kind::Tag);
    action_route(server, "assign", Kind::Assign);
    action_route(server, "claim", Kind::Claim);
    action_route(server, "resolve", Kind::Resolve);
    action_route(server, "reopen", Kind::Reopen);
    action_route(server, "snooze", Kind::Snooze);
    action_route(server, "return-to-bot", Kind::ReturnToBot);
    action_route(server, "priority", Kind::SetPriority);
    server.Delete(R"(/api/v1/conversations/(\d+)/tags/([^/]+))",
                  authed([this](const team::Principal& p, const Request& q, Response& r) {
                    store::AgentAction a;
                    a.kind = Kind::Untag;
                    a.conversation_id = std::stoll(q.matches[1]);
                    a.text = q.matches[2];
                    answer(r, desk_.act(p, a));
                  }));
    server.Get("/api/v1/audit",
               authed([this](const team::Principal& p, const Request& q, Response& r) { audit(p, q, r); }));
    server.Get("/api/v1/contacts", authed([this](const team::Principal&, const Request& q, Response& r) {
                 json out = json::array();
                 for (const auto& c : desk_.store().search_contacts(param(q, "q").value_or(""), 50)) {
                   out.push_back(to_json(c));
                 }
                 send_json(r, 200, {{"contacts", out}});
               }));
    server.Get(R"(/api/v1/contacts/(\d+)/merge-suggestions)",
               authed([this](const team::Principal&, const Request& q, Response& r) {
                 json out = json::array();
                 for (const auto& c : desk_.store().merge_candidates(std::stoll(q.matches[1])))
                   out.push_back(to_json(c));
                 send_json(r, 200, {{"suggestions", out}});
               }));
    server.Get(R"(/api/v1/contacts/(\d+)/export)",
               admin([this](const team::Principal& p, const Request& q, Response& r) {
                 auto data = desk_.export_contact(p, std::stoll(q.matches[1]));
                 if (!data) return send_error(r, 404, "no contact " + std::string(q.matches[1]));
                 r.set_header("Content-Disposition",
                              "attachment; filename=\"contact-" + std::string(q.matches[1]) + ".json\"");
                 send_json(r, 200, *data);
               }));
    server.Delete(R"(/api/v1/contacts/(\d+))", admin([this](const team::Principal& p, const Request& q, Response& r) {
                    if (!desk_.erase_contact(p.agent, std::stoll(q.matches[1]))) {
                      return send_error(r, 404, "no contact " + std::string(q.matches[1]));
                    }
                    r.status = 204;
                  }));
    server.Post(R"(/api/v1/contacts/(\d+)/merge)",
                admin([this](const team::Principal& p, const Request& q, Response& r) {
                  json body = parse(q, r);
                  if (body.is_discarded()) return;
                  store::Id keep = std::stoll(q.matches[1]);
                  store::Id drop = body.value("other", store::Id{0});
                  if (!desk_.store().merge_contacts(keep, drop))
                    return send_error(r, 404, "both contacts must exist and differ");
                  desk_.store().audit(p.agent, "contact_merge", json{{"keep", keep}, {"drop", drop}}.dump());
                  send_json(r, 200, {{"ok", true}});
                }));
    server.Get("/api/v1/events",
               authed([this](const team::Principal& p, const Request&, Response& r) { stream(p, r); }));
  }

 private:
  using Handler = AuthedHandler;

  httplib::Server::Handler admin(Handler handler) { return api::authed(desk_, std::move(handler), true); }
  httplib::Server::Handler authed(Handler handler) { return api::authed(desk_, std::move(handler)); }
  static json parse(const Request& q, Response& r) { return parse_body(q, r); }

  static void answer(Response& r, const team::DeskResult& result) {
    if (result.status != 200) return send_error(r, result.status, result.error);
    json body = {{"ok", true}};
    if (result.outcome.outbox_id != 0) body["outbox_id"] = result.outcome.outbox_id;
    send_json(r, 200, body);
  }

  void login(const Request& q, Response& r) {
    json body = parse(q, r);
    if (body.is_discarded()) return;
    std::string agent = body.value("agent", "");
    auto token = desk_.login(agent, body.value("password", ""));
    if (!token) return send_error(r, 401, "wrong agent id or password");
    constexpr int64_t kTtlSeconds = team::Desk::kTokenTtlMs / 1000;
    if (body.value("session", "") == "cookie") {
      // The web inbox: the token goes into the HttpOnly cookie only; script
      // gets the CSRF value it must echo on every state-changing call.
      r.set_header("Set-Cookie", session_cookie(*token, kTtlSeconds, behind_tls(q)));
      return send_json(r, 200, {{"agent", agent}, {"csrf", team::csrf_token(*token)}, {"expires_in", kTtlSeconds}});
    }
    send_json(r, 200, {{"token", *token}, {"expires_in", kTtlSeconds}, {"agent", agent}});
  }

  void me(const team::Principal& p, const Request& q, Response& r) {
    auto team = desk_.team();
    const config::AgentConfig* agent = team->agent(p.agent);
    auto presence = desk_.store().presence();
    json body = {{"id", p.agent},
                 {"name", agent ? agent->name : p.agent},
                 {"role", config::to_string(p.role)},
                 {"departments", p.departments},
                 {"capacity", agent ? agent->capacity : 0},
                 {"presence", presence.count(p.agent) ? presence.at(p.agent) : "offline"}};
    // A reloaded page finds its session through the cookie and gets the CSRF
    // value again here (another site cannot read this response).
    SessionCredential credential = credential_of(q);
    if (credential.cookie) body["csrf"] = team::csrf_token(credential.token);
    send_json(r, 200, body);
  }

  void queues(const team::Principal& p, Response& r) {
    auto team = desk_.team();
    auto depths = desk_.store().queue_depths();
    json out = json::array();
    for (const auto& d : team->departments) {
      if (!p.admin() && !p.member_of(d.id)) continue;
      out.push_back({{"id", d.id},
                     {"name", d.name},
                     {"assignment", config::to_string(d.strategy)},
                     {"sla",
                      {{"first_response_minutes", d.sla.first_response_minutes},
                       {"next_response_minutes", d.sla.next_response_minutes}}},
                     {"waiting", depths.count(d.id) ? depths.at(d.id) : 0}});
    }
    send_json(r, 200, {{"queues", out}});
  }

  void agents(Response& r) {
    auto team = desk_.team();
    auto presence = desk_.store().presence();
    auto loads = desk_.store().agent_loads();
    json out = json::array();
    for (const auto& a : team->agents) {
      out.push_back({{"id", a.id},
                     {"name", a.name},
                     {"departments", a.departments},
                     {"capacity", a.capacity},
                     {"load", loads.count(a.id) ? loads.at(a.id) : 0},
                     {"presence", presence.count(a.id) ? presence.at(a.id) : "offline"}});
    }
    send_json(r, 200, {{"agents", out}});
  }

  void list(const team::Principal& p, const Request& q, Response& r) {
    store::ConversationFilter filter = desk_.visible_to(p);
    if (auto queue = param(q, "queue")) {
      if (!p.admin() && !p.member_of(*queue))
        return send_error(r, 403, "queue '" + *queue + "' is not one of your departments");
      filter.queues = std::vector<std::string>{*queue};
      filter.also_assignee.reset();
    }
    if (auto assignee = param(q, "assignee")) filter.assignee = *assignee == "me" ? p.agent : *assignee;
    filter.state = param(q, "state");
    filter.inbox = param(q, "inbox");
    filter.tag = param(q, "tag");
    filter.before_id = int_param(q, "before", 0);
    filter.limit = static_cast<int>(std::clamp<int64_t>(int_param(q, "limit", 50), 1, 200));
    auto rows = desk_.store().list_conversations(filter);
    json out = json::array();
    for (const auto& c : rows) out.push_back(to_json(c));
    json body = {{"conversations", out}};
    if (static_cast<int>(rows.size()) == filter.limit) body["next_before"] = rows.back().id;
    send_json(r, 200, body);
  }

  void show(const team::Principal& p, const Request& q, Response& r) {
    auto c = desk_.store().conversation_summary(std::stoll(q.matches[1]));
    if (!c) return send_error(r, 404, "no conversation " + std::string(q.matches[1]));
    if (!desk_.can_see(p, *c))
      return send_error(r, 403, "conversation " + std::to_string(c->id) + " is not in your departments");
    json messages = json::array();
    for (const auto& m : desk_.store().conversation_messages(c->id)) messages.push_back(to_json(m));
    // The 360° view: the contact's whole history, on every channel.
    json history = json::array();
    for (const auto& other : desk_.store().contact_conversations(c->contact_id)) {
      if (other.id == c->id) continue;
      json item = to_json(other);
      json other_messages = json::array();
      for (const auto& m : desk_.store().conversation_messages(other.id)) other_messages.push_back(to_json(m));
      item["messages"] = other_messages;
      history.push_back(item);
    }
    json conversation = to_json(*c);
    if (auto contact = desk_.store().contact(c->contact_id)) conversation["contact"] = to_json(*contact);
    if (send_window_) conversation["send_window"] = send_window_(c->inbox, c->last_inbound_at);
    send_json(r, 200, {{"conversation", conversation}, {"messages", messages}, {"history", history}});
  }

  void action_route(httplib::Server& server, const std::string& name, Kind kind) {
    server.Post(R"(/api/v1/conversations/(\d+)/)" + name,
                authed([this, kind](const team::Principal& p, const Request& q, Response& r) {
                  json body = parse(q, r);
                  if (body.is_discarded()) return;
                  store::AgentAction a;
                  a.kind = kind;
                  a.conversation_id = std::stoll(q.matches[1]);
                  a.text = kind == Kind::Tag ? body.value("tag", "") : body.value("text", body.value("reason", ""));
                  a.agent = body.value("agent", "");
                  a.queue = body.value("queue", "");
                  a.priority = body.value("priority", 1);
                  a.until = body.value("until", int64_t{0});
                  if (kind == Kind::Reply) a.canned_id = body.value("canned_id", "");
                  if (kind == Kind::Reply && body.contains("quick_replies")) {
                    a.outbound_json = json{{"quick_replies", body["quick_replies"]}}.dump();
                  }
                  answer(r, desk_.act(p, a));
                }));
  }

  void audit(const team::Principal& p, const Request& q, Response& r) {
    if (!p.admin()) return send_error(r, 403, "the audit log is for admins");
    json out = json::array();
    for (const auto& e : desk_.store().audit_log(int_param(q, "after", 0), 500)) {
      json detail = json::parse(e.detail_json, nullptr, false);
      out.push_back({{"id", e.id},
                     {"at", e.at},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"conversation_id", e.conversation_id},
                     {"detail", detail.is_discarded() ? json::object() : detail}});
    }
    send_json(r, 200, {{"entries", out}});
  }

  // SSE: one event per change the caller may see; a comment every 15 s keeps
  // proxies from closing an idle stream and notices a client that left.
  void stream(const team::Principal& p, Response& r) {
    auto subscription = desk_.events().subscribe();
    r.set_header("Cache-Control", "no-store");
    r.set_chunked_content_provider("text/event-stream", [this, p, subscription](size_t, httplib::DataSink& sink) {
      auto event = subscription->next(std::chrono::seconds(15));
      if (!event) return sink.write(": keep-alive\n\n", 14);
      if (!visible(p, *event)) return true;
      std::string frame = "event: " + event->value("type", "message") + "\ndata: " + event->dump() + "\n\n";
      return sink.write(frame.data(), frame.size());
    });
  }

  // Events about a conversation follow the desk's visibility rule; the rest
  // (presence, contact deletions) go to everyone.
  static bool visible(const team::Principal& p, const json& event) {
    if (!event.contains("conversation_id")) return true;
    return team::Desk::can_see(p, event.value("queue", ""), event.value("assignee", ""));
  }

  team::Desk& desk_;
  SendWindowSource send_window_;
};

}  // namespace

http::RouteInstaller agent_api_routes(team::Desk& desk, SendWindowSource send_window) {
  auto api = std::make_shared<Api>(desk, std::move(send_window));
  return [api](httplib::Server& server) { api->install(server); };
}

}  // namespace switchboard::api
