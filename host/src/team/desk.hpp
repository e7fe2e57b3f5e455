// The agents' desk: who may see and do what (roles, departments), what each
// action means (a human reply goes through the outbox and takes control),
// and queue assignment passes. The REST API (api/agent_api) is a thin HTTP
// layer over it; the store makes each action atomic and audited.
//
// Threads: every method may be called from any thread.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "config/team_config.hpp"
#include "processing/desk_link.hpp"
#include "store/team_store.hpp"
#include "team/event_bus.hpp"

namespace switchboard::team {

struct Principal {
  std::string agent;
  config::AgentRole role = config::AgentRole::Agent;
  std::vector<std::string> departments;
  bool admin() const { return role == config::AgentRole::Admin; }
  bool member_of(const std::string& queue) const {
    return std::find(departments.begin(), departments.end(), queue) != departments.end();
  }
};

// Why an action was not done, in HTTP terms for the API.
struct DeskResult {
  int status = 200;  // 200, 403 forbidden, 404 no such conversation, 409 conflict, 400 bad request
  std::string error;
  store::ActionOutcome outcome;
};

class Desk : public processing::DeskLink {
 public:
  using TeamSource = std::function<std::shared_ptr<const config::TeamConfig>()>;
  using Clock = std::function<store::Millis()>;

  // Days after which resolved conversations are purged (0: never).
  using RetentionSource = std::function<int64_t()>;

  Desk(store::TeamStore& store, TeamSource team, EventBus& events, Clock clock = store::now_ms,
       RetentionSource retention = nullptr);

  // A bearer token valid for `token_ttl_ms`, or nullopt for a wrong id,
  // password, disabled agent or an agent no longer in the config.
  std::optional<std::string> login(const std::string& agent, const std::string& password);
  std::optional<Principal> authenticate(const std::string& token);
  void logout(const std::string& token);

  bool can_see(const Principal& who, const store::ConversationSummary& conversation) const;
  // The same rule for what only names a queue and an assignee (live events).
  static bool can_see(const Principal& who, const std::string& queue, const std::string& assignee);
  // The listing filter that limits `who` to what they may see.
  store::ConversationFilter visible_to(const Principal& who) const;

  DeskResult act(const Principal& who, store::AgentAction action);
  DeskResult set_presence(const Principal& who, const std::string& status);

  // One assignment pass over every automatic queue, then wakes snoozed
  // conversations; what the timer and every capacity change call.
  void rebalance();
  // The timer's tick: rebalance, and at most hourly the retention purge.
  void tick();

  // Called once per SLA breach (metrics); set before the timer starts.
  void on_breach(std::function<void(const store::SlaBreach&)> hook) { breach_hook_ = std::move(hook); }
  // Finds new SLA breaches of every department and escalates each once.
  void check_slas();

  // Personal data (Decree 13/2023): export and erase a contact, audited.
  std::optional<nlohmann::json> export_contact(const Principal& who, store::Id contact_id);
  bool erase_contact(const std::string& actor, store::Id contact_id);

  // Message processing's side (processing::DeskLink).
  processing::QueueOutlook queue_outlook(const std::string& queue, int32_t priority) override;
  std::optional<processing::AwaitedRating> awaited_rating(store::Id conversation_id,
                                                          const nlohmann::json& message) override;
  bool erase_identity(const std::string& inbox, const std::string& external_id) override;

  EventBus& events() { return events_; }
  // The live event about a conversation, in the shape every publisher uses.
  static nlohmann::json event_of(const std::string& type, const store::ConversationSummary& conversation);
  store::TeamStore& store() { return store_; }
  std::shared_ptr<const config::TeamConfig> team() const { return team_(); }

  static constexpr store::Millis kTokenTtlMs = 12LL * 3600 * 1000;

 private:
  DeskResult check_action(const Principal& who, const store::AgentAction& action,
                          const store::ConversationSummary& conversation) const;
  void address(nlohmann::json& payload, const store::ConversationSummary& conversation) const;
  std::string reply_payload(const store::AgentAction& action, const store::ConversationSummary& conversation) const;
  // Replaces a canned_id by the rendered text; a non-200 result when it may not be used.
  DeskResult render_canned(const Principal& who, store::AgentAction& action,
                           const store::ConversationSummary& conversation) const;
  // Variables of canned texts and the CSAT question: contact, inbox, department, agent.
  nlohmann::json template_scope(const store::ConversationSummary& conversation, const std::string& agent) const;
  void ask_csat(const store::ConversationSummary& conversation);
  void announce(const std::string& type, const store::ConversationSummary& conversation);

  store::TeamStore& store_;
  TeamSource team_;
  EventBus& events_;
  Clock clock_;
  void escalate(const config::DepartmentConfig& department, const store::SlaBreach& breach);
  void notify(const std::string& url, const store::SlaBreach& breach);

  RetentionSource retention_;
  std::function<void(const store::SlaBreach&)> breach_hook_;
  std::mutex purge_mutex_;
  store::Millis last_purge_ = 0;
};

}  // namespace switchboard::team
