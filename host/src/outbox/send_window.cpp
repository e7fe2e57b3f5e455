// The send-window probe: one may_send call with a human reply's shape.
#include "outbox/send_window.hpp"

#include <switchboard/sdk.hpp>

#include "outbox/send_context.hpp"

namespace switchboard::outbox {

nlohmann::json SendWindow::to_json() const {
  nlohmann::json out = {{"channel", channel}, {"allowed", allowed}, {"billable", billable}};
  out["free_until"] = free_until > 0 ? nlohmann::json(free_until) : nlohmann::json(nullptr);
  out["closes_at"] = closes_at > 0 ? nlohmann::json(closes_at) : nlohmann::json(nullptr);
  if (!allowed) {
    out["code"] = code;
    out["reason"] = reason;
  }
  return out;
}

SendWindow probe_send_window(plugins::PluginInstance& channel, const std::string& channel_name,
                             int64_t last_inbound_at) {
  // What Desk::reply_payload sends for an agent's reply, minus the text:
  // window rules depend only on who speaks and when the customer last wrote.
  nlohmann::json probe = {
      {"automated", false}, {"human_agent", true}, {"last_inbound_at", last_inbound_at}, {"text", ""}, {"probe", true}};
  SendContext context("send window of " + channel_name);
  sb_status status = channel.may_send(context, probe.dump());
  const nlohmann::json& result = context.result();
  SendWindow window;
  window.channel = channel_name;
  window.allowed = status == SB_OK;
  window.billable = result.value("billable", false);
  window.free_until = result.value("free_until", int64_t{0});
  window.closes_at = result.value("closes_at", int64_t{0});
  if (!window.allowed) {
    window.code = result.value("code", std::string(sdk::status_name(status)));
    window.reason = context.error();
  }
  return window;
}

}  // namespace switchboard::outbox
