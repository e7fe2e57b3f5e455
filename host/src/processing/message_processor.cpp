// From a stored event to one committed run.
#include "processing/message_processor.hpp"

#include <memory>

#include "log/logger.hpp"
#include "pipeline/inbound_message.hpp"
#include "pipeline/pipeline_runner.hpp"
#include "processing/channel_event_effects.hpp"
#include "processing/json_number.hpp"
#include "team/csat_answer.hpp"

namespace switchboard::processing {
namespace {

using nlohmann::json;

// Plugin state reads go to the store; writes travel in the RunCommit.
class StoredState : public pipeline::StateReader {
 public:
  StoredState(store::Store& store, store::Id conversation) : store_(store), conversation_(conversation) {}
  std::optional<std::string> get(const std::string& scope, const std::string& key) const override {
    return store_.plugin_state(conversation_, scope, key);
  }

 private:
  store::Store& store_;
  store::Id conversation_;
};

pipeline::InboundMessage to_message(const app::Inbox& inbox, const store::StoredEvent& event, const json& payload,
                                    const store::ConversationContext& ctx) {
  pipeline::InboundMessage m;
  m.id = event.event.channel_message_id;
  m.inbox = inbox.config.id;
  m.channel = inbox.config.channel.plugin;
  m.type = payload.value("type", "message");
  m.text = payload.value("text", "");
  if (payload.contains("attachments") && payload["attachments"].is_array()) m.attachments = payload["attachments"];
  m.contact = {{"id", std::to_string(ctx.contact.id)},
               {"external_id", ctx.external_id},
               {"name", ctx.contact.name},
               {"phone", ctx.contact.phone},
               {"email", ctx.contact.email}};
  m.conversation_id = std::to_string(ctx.conversation.id);
  m.conversation_state = store::to_string(ctx.conversation.state);
  m.conversation_new = ctx.created;
  m.received_at = store::to_rfc3339(event.event.received_at);
  return m;
}

// What the outbox hands to the channel's send(), minus the idempotency key.
json outbound_payload(const pipeline::Reply& reply, const app::Inbox& inbox, const store::StoredEvent& event,
                      const store::ConversationContext& ctx) {
  json payload = reply.outbound;
  payload["inbox"] = inbox.config.id;
  payload["conversation_id"] = std::to_string(ctx.conversation.id);
  payload["recipient"] = {{"id", ctx.external_id}};
  payload["in_reply_to"] = event.event.channel_message_id;
  payload["automated"] = true;
  payload["last_inbound_at"] = ctx.conversation.last_inbound_at;
  return payload;
}

// Where the event sits among its sender's conversations. No "thread": the
// channel has none (one conversation per contact and inbox). Otherwise
// {"conversation_id"} continues a conversation our own headers named, and
// {"key"} names the thread; without a key the event's own id does, so a
// new thread starts its own conversation and a replay finds it again.
store::ThreadRef thread_of(const store::StoredEvent& event, const json& payload) {
  auto thread = payload.find("thread");
  if (thread == payload.end() || !thread->is_object()) return {};
  store::ThreadRef ref;
  auto key = thread->find("key");
  bool keyed = key != thread->end() && key->is_string() && !key->get_ref<const std::string&>().empty();
  ref.key = keyed ? key->get<std::string>() : event.event.channel_message_id;
  auto named = thread->find("conversation_id");
  if (named != thread->end()) ref.conversation = json_number(*named);
  return ref;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// The handoff step leaves {position} and {eta} for the host, which alone
// knows the queue ("queue_variables": true on its reply).
void fill_queue_variables(json& payload, const QueueOutlook& outlook) {
  std::string text = payload.value("text", "");
  replace_all(text, "{position}", std::to_string(outlook.position));
  replace_all(text, "{eta}", outlook.eta);
  payload["text"] = text;
  payload.erase("queue_variables");
}

// What every commit of a customer's message holds, whatever decided on it.
store::RunCommit message_commit(const store::StoredEvent& event, const store::ConversationContext& ctx,
                                const pipeline::InboundMessage& message,
                                const std::optional<store::ConversationOpen>& open) {
  store::RunCommit commit;
  commit.event_id = event.id;
  commit.conversation_id = ctx.conversation.id;
  commit.open = open;
  commit.record_message = message.type == "message";
  commit.text = message.text;
  commit.attachments_json = message.attachments.dump();
  return commit;
}

store::ConversationChange change_of(const pipeline::RunResult& run) {
  store::ConversationChange change;
  if (run.assignment) {
    change.state = store::ConversationState::Queued;
    change.controller = store::Controller::Human;
    change.queue = run.assignment->queue;
    change.priority = run.assignment->priority;
  }
  if (run.resolved) {
    change.state = store::ConversationState::Resolved;
    change.controller = store::Controller::Bot;
  }
  return change;
}

}  // namespace

ProcessOutcome MessageProcessor::process(const app::Runtime& runtime, const store::StoredEvent& event) {
  Prepared prepared = prepare(runtime, event);
  if (prepared.commit) prepared.outcome.outbox_rows = store_.commit_run(*prepared.commit).size();
  return std::move(prepared.outcome);
}

void MessageProcessor::process_async(const app::Runtime& runtime, const store::StoredEvent& event, Done done) {
  Prepared prepared = prepare(runtime, event);
  if (!prepared.commit) return done(std::move(prepared.outcome), nullptr);
  // Shared: the store's callback must be copyable, the outcome is not cheap to copy.
  auto outcome = std::make_shared<ProcessOutcome>(std::move(prepared.outcome));
  store_.commit_run_async(std::move(*prepared.commit),
                          [outcome, done = std::move(done)](std::vector<store::Id> ids, std::exception_ptr error) {
                            outcome->outbox_rows = ids.size();
                            done(std::move(*outcome), error);
                          });
}

MessageProcessor::Prepared MessageProcessor::prepare(const app::Runtime& runtime, const store::StoredEvent& event) {
  json payload = json::parse(event.event.payload_json, nullptr, false);
  std::string type = payload.is_object() ? payload.value("type", "message") : "";
  const app::Inbox* inbox = runtime.inbox(event.event.inbox);
  if (inbox == nullptr) {
    // The inbox left the config (reload) after this event was acknowledged.
    log::warn("processing", "event " + std::to_string(event.id) + ": inbox '" + event.event.inbox +
                                "' is no longer configured; recorded and skipped");
    store_.mark_processed(event.id, json{{"skipped", "inbox not configured"}}.dump());
    return {ProcessOutcome(event.event.inbox), std::nullopt};
  }
  // A follow has no text, but it is the customer's first step: the pipeline
  // may welcome them (greeting), and steps that need text pass over it.
  if (type == "message" || type == "follow") return run_pipeline(*inbox, event, payload);
  if (type == "agent_message") return record_agent_message(event, payload);
  if (type == "contact_erase") return erase_contact(event, payload);
  if (apply_channel_event(store_, type, event, payload)) return {ProcessOutcome(event.event.inbox), std::nullopt};
  store_.mark_processed(event.id, json{{"skipped", "event type '" + type + "' starts no pipeline"}}.dump());
  return {ProcessOutcome(event.event.inbox), std::nullopt};
}

MessageProcessor::Prepared MessageProcessor::run_pipeline(const app::Inbox& inbox, const store::StoredEvent& event,
                                                          const json& payload) {
  // Usually the conversation exists: read it, and let the run's commit open
  // it (one write per message). A first message opens it on its own first.
  const json& sender = payload["sender"];
  store::ThreadRef thread = thread_of(event, payload);
  std::optional<store::ConversationContext> peeked =
      store_.peek_conversation(inbox.config.id, sender, event.event.received_at, thread);
  store::ConversationContext ctx =
      peeked ? std::move(*peeked) : store_.open_conversation(inbox.config.id, sender, event.event.received_at, thread);
  pipeline::InboundMessage message = to_message(inbox, event, payload, ctx);
  std::optional<store::ConversationOpen> open;
  if (peeked) open = store::ConversationOpen{inbox.config.id, sender, event.event.received_at, thread};
  if (auto rated = record_rating(inbox, event, ctx, message, open)) return std::move(*rated);
  StoredState state(store_, ctx.conversation.id);
  bool human = ctx.conversation.controller == store::Controller::Human;
  pipeline::RunResult run = pipeline::PipelineRunner(*inbox.pipeline).run({message.to_json(), human, &state});

  store::RunCommit commit = message_commit(event, ctx, message, open);
  commit.tags = run.tags;
  commit.attributes = run.attributes;
  if (run.intent) commit.attributes["intent"] = {{"name", run.intent->name}, {"score", run.intent->score}};
  for (const auto& w : run.state_writes) commit.state_writes.push_back({w.scope, w.key, w.value_json});
  commit.change = change_of(run);
  ProcessOutcome outcome(inbox.config.id);
  outcome.conversation_id = ctx.conversation.id;
  outcome.ran_pipeline = true;
  std::optional<QueueOutlook> outlook;
  for (const auto& reply : run.replies) {
    if (reply.suppressed) {
      ++outcome.suppressed_replies;
      continue;
    }
    json outbound = outbound_payload(reply, inbox, event, ctx);
    if (outbound.value("queue_variables", false) && run.assignment && desk_ != nullptr) {
      if (!outlook) outlook = desk_->queue_outlook(run.assignment->queue, run.assignment->priority);
      fill_queue_variables(outbound, *outlook);
    }
    commit.outbox.push_back({outbound.dump(), "bot"});
  }
  json decision = {{"event_id", event.id}, {"inbox", inbox.config.id}, {"pipeline", inbox.pipeline->name}};
  decision.update(run.to_json());
  commit.decision_json = decision.dump();

  outcome.run = std::move(run);
  return {std::move(outcome), std::move(commit)};
}

std::optional<MessageProcessor::Prepared> MessageProcessor::record_rating(
    const app::Inbox& inbox, const store::StoredEvent& event, const store::ConversationContext& ctx,
    const pipeline::InboundMessage& message, const std::optional<store::ConversationOpen>& open) {
  if (desk_ == nullptr) return std::nullopt;
  auto answer = team::parse_csat_answer(message.text);  // cheap, and most messages are no rating
  if (!answer) return std::nullopt;
  auto awaited = desk_->awaited_rating(ctx.conversation.id, message.to_json());
  if (!awaited) return std::nullopt;
  store::RunCommit commit = message_commit(event, ctx, message, open);
  commit.csat_rating = answer->rating;
  commit.csat_comment = answer->comment;
  if (!awaited->thanks.empty()) {
    pipeline::Reply thanks;
    thanks.outbound = {{"text", awaited->thanks}};
    commit.outbox.push_back({outbound_payload(thanks, inbox, event, ctx).dump(), "bot"});
  }
  commit.decision_json = json{{"event_id", event.id},
                              {"inbox", inbox.config.id},
                              {"decided", "CSAT rating " + std::to_string(answer->rating) + "; no pipeline"}}
                             .dump();
  ProcessOutcome outcome(inbox.config.id);
  outcome.csat_rating = answer->rating;
  outcome.csat_department = awaited->department;
  return Prepared{std::move(outcome), std::move(commit)};
}

MessageProcessor::Prepared MessageProcessor::erase_contact(const store::StoredEvent& event, const json& payload) {
  std::string user = payload.value("sender", json::object()).value("id", "");
  // The erase deletes this event too (it is the person's data); only an
  // event that found nobody stays, marked processed.
  if (desk_ != nullptr && desk_->erase_identity(event.event.inbox, user)) {
    log::info("processing", "contact erased at the channel's request (inbox " + event.event.inbox + ")");
    return {ProcessOutcome(event.event.inbox), std::nullopt};
  }
  store_.mark_processed(event.id, json{{"skipped", "contact_erase: no such contact"}}.dump());
  return {ProcessOutcome(event.event.inbox), std::nullopt};
}

MessageProcessor::Prepared MessageProcessor::record_agent_message(const store::StoredEvent& event,
                                                                  const json& payload) {
  // A human answered in the platform's own tool: keep it in the history and
  // give control to the human, so the bot goes quiet.
  store::ConversationContext ctx =
      store_.open_conversation(event.event.inbox, payload["sender"], 0);  // 0: not a customer interaction
  store::RunCommit commit;
  commit.event_id = event.id;
  commit.conversation_id = ctx.conversation.id;
  commit.text = payload.value("text", "");
  commit.author = "agent";
  commit.change.controller = store::Controller::Human;
  commit.decision_json =
      json{{"event_id", event.id}, {"decided", "a human replied in the platform; bot silenced"}}.dump();
  ProcessOutcome outcome(event.event.inbox);
  outcome.conversation_id = ctx.conversation.id;
  return {std::move(outcome), std::move(commit)};
}

}  // namespace switchboard::processing
