// Webhook → plugin → inbound log → answer.
#include "processing/inbound_gateway.hpp"

#include <switchboard/sdk.hpp>

#include "log/logger.hpp"
#include "plugins/host_context.hpp"
#include "processing/inbound_event.hpp"

namespace switchboard::processing {
namespace {

using nlohmann::json;

using http::WebhookResponse;

WebhookResponse error_reply(int status, const std::string& reason) {
  return WebhookResponse{status, "application/json", json{{"error", reason}}.dump()};
}

WebhookResponse ok_reply() { return WebhookResponse{200, "application/json", "{\"ok\":true}"}; }

// The sb_ctx of one on_http call: collects submitted events and the response.
class HttpCallContext : public sb_ctx {
 public:
  HttpCallContext(std::string inbox, std::string label) : inbox_(std::move(inbox)), label_(std::move(label)) {}

  void log(int32_t level, std::string_view message) override { plugins::log_from_plugin(label_, level, message); }

  sb_status submit_inbound(std::string_view event_json) override {
    store::InboundEvent event;
    std::string why;
    if (!parse_inbound_event(inbox_, event_json, store::now_ms(), event, why)) {
      if (invalid_.empty()) invalid_ = why;
      return SB_ERR_INVALID;
    }
    events_.push_back(std::move(event));
    return SB_OK;
  }

  sb_status http_respond(int32_t status, std::string_view content_type, std::string_view body) override {
    if (status < 100 || status > 599) return SB_ERR_INVALID;
    response_ = WebhookResponse{status, std::string(content_type), std::string(body)};
    return SB_OK;
  }

  std::vector<store::InboundEvent> take_events() { return std::move(events_); }
  const std::optional<WebhookResponse>& response() const { return response_; }
  const std::string& invalid() const { return invalid_; }

 private:
  std::string inbox_;
  std::string label_;
  std::vector<store::InboundEvent> events_;
  std::optional<WebhookResponse> response_;
  std::string invalid_;
};

int status_for(sb_status status) {
  switch (status) {
    case SB_ERR_INVALID: return 400;
    case SB_ERR_UNAUTHORIZED: return 401;
    case SB_ERR_UNSUPPORTED: return 405;
    case SB_ERR_NOT_FOUND: return 404;
    default: return 500;
  }
}

}  // namespace

InboundGateway::InboundGateway(app::RuntimeSource& runtimes, store::Store& store, Committed committed, Counted counted)
    : runtimes_(runtimes), store_(store), committed_(std::move(committed)), counted_(std::move(counted)) {}

WebhookResponse InboundGateway::handle(const http::WebhookRequest& call) {
  std::shared_ptr<const app::Runtime> runtime = runtimes_.current();
  Intake intake = receive(call, runtime ? runtime->inbox(call.inbox) : nullptr);
  return commit(call.inbox, intake.events, std::move(intake.reply));
}

bool InboundGateway::handle_async(const http::WebhookRequest& call, const http::Responder& respond) {
  std::shared_ptr<const app::Runtime> runtime = runtimes_.current();
  const app::Inbox* inbox = runtime ? runtime->inbox(call.inbox) : nullptr;
  if (inbox != nullptr && inbox->channel && !inbox->channel->module().thread_safe()) return false;
  Intake intake = receive(call, inbox);
  if (intake.events.empty()) {
    respond(std::move(intake.reply));
    return true;
  }
  std::size_t count = intake.events.size();
  auto answer = [this, inbox = call.inbox, count, reply = std::move(intake.reply), respond](
                    std::vector<store::IngestOutcome> outcomes, std::exception_ptr error) {
    respond(settle(inbox, count, outcomes, error, reply));
  };
  try {
    store_.ingest_async(std::move(intake.events), answer);
  } catch (...) {
    answer({}, std::current_exception());  // closing: not acknowledged, the platform retries
  }
  return true;
}

InboundGateway::Intake InboundGateway::receive(const http::WebhookRequest& call, const app::Inbox* inbox) {
  if (inbox == nullptr || !inbox->channel) return {{}, error_reply(404, "unknown inbox '" + call.inbox + "'")};

  HttpCallContext ctx(call.inbox, "inbox '" + call.inbox + "'");
  sb_http_request_v1 request{};
  request.struct_size = sizeof request;
  request.method = sdk::to_sb(call.method);
  request.path = sdk::to_sb(call.path);
  request.query = sdk::to_sb(call.query);
  request.headers_json = sdk::to_sb(call.headers_json);
  request.body = sdk::to_sb(call.body);
  request.remote_addr = sdk::to_sb(call.remote_addr);
  sb_status status = inbox->channel->on_http(ctx, request);

  bool refused = status != SB_OK || (ctx.response() && ctx.response()->status >= 400);
  if (refused) {
    // A rejected request stores nothing, whatever the plugin submitted first.
    std::string why = !ctx.error().empty() ? ctx.error() : ctx.invalid();
    WebhookResponse reply = ctx.response() ? *ctx.response() : error_reply(status_for(status), why);
    log::warn("webhook", "inbox '" + call.inbox + "' " + call.method + " refused with " + std::to_string(reply.status) +
                             (why.empty() ? "" : ": " + why) + " (from " + call.remote_addr + ")");
    counted_(call.inbox, IngestCounts{0, 0, 1});
    return {{}, reply};
  }
  return {ctx.take_events(), ctx.response().value_or(ok_reply())};
}

WebhookResponse InboundGateway::commit(const std::string& inbox, const std::vector<store::InboundEvent>& events,
                                       WebhookResponse reply) {
  if (events.empty()) return reply;  // handshakes, probes, receipts the plugin chose not to keep
  std::vector<store::IngestOutcome> outcomes;
  try {
    outcomes = store_.ingest(events);
  } catch (...) {
    return settle(inbox, events.size(), {}, std::current_exception(), std::move(reply));
  }
  return settle(inbox, events.size(), outcomes, nullptr, std::move(reply));
}

WebhookResponse InboundGateway::settle(const std::string& inbox, std::size_t events,
                                       const std::vector<store::IngestOutcome>& outcomes, std::exception_ptr error,
                                       WebhookResponse reply) {
  if (error) {
    // Not acknowledged, so the platform retries: nothing is lost.
    log::error("webhook", "inbox '" + inbox + "': storing " + std::to_string(events) +
                              " event(s) failed: " + log::describe(error));
    counted_(inbox, IngestCounts{0, 0, 1});
    return error_reply(503, "storage unavailable; retry");
  }
  IngestCounts counts;
  for (const auto& o : outcomes) (o.duplicate ? counts.duplicate : counts.accepted) += 1;
  counted_(inbox, counts);
  if (counts.accepted > 0) committed_();
  return reply;
}

sb_status InboundGateway::submit_from_channel(const std::string& inbox, std::string_view event_json) {
  store::InboundEvent event;
  std::string why;
  if (!parse_inbound_event(inbox, event_json, store::now_ms(), event, why)) {
    log::warn("inbound", "inbox '" + inbox + "': refused event: " + why);
    return SB_ERR_INVALID;
  }
  WebhookResponse reply = commit(inbox, {event}, ok_reply());
  return reply.status < 400 ? SB_OK : SB_ERR_RETRY;
}

}  // namespace switchboard::processing
