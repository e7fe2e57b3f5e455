// The error table is the spec's §8.2; codes it does not list fall back to
// the HTTP status (5xx and no answer retry, other 4xx are permanent).
#include "graph_send.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins::messenger {
namespace {

bool utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

struct GraphError {
  int code = 0;
  int subcode = 0;
  bool transient = false;
  std::string message;
};

bool parse_graph_error(const std::string& body, GraphError& out) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object() || !json.contains("error") || !json["error"].is_object()) return false;
  const auto& error = json["error"];
  if (!error.contains("code") || !error["code"].is_number_integer()) return false;
  out.code = error["code"].get<int>();
  if (error.contains("error_subcode") && error["error_subcode"].is_number_integer()) {
    out.subcode = error["error_subcode"].get<int>();
  }
  out.transient = error.value("is_transient", false);
  out.message = error.value("message", "");
  return true;
}

sb_status status_for(const GraphError& e, int http_status, bool& alert) {
  switch (e.code) {
    case 1:     // unknown error
    case 1200:  // temporary send failure
    case 4:     // application request limit
    case 613:   // rate limit
      return SB_ERR_RETRY;
    case 2:  // unexpected error; 2018344 is a configuration problem
      return e.subcode == 2018344 ? SB_ERR_PERMANENT : SB_ERR_RETRY;
    case 10:     // outside the allowed window / person cannot receive
    case 100:    // bad PSID, attachment too large
    case 200:    // permission (App Review)
    case 551:    // person unavailable: do not hot-retry
    case 10303:  // invalid account_linking_token
      return SB_ERR_PERMANENT;
    case 190:  // the Page token is invalid, expired or revoked
      alert = true;
      return SB_ERR_PERMANENT;
    default:
      if (e.transient) return SB_ERR_RETRY;
      return classify_status(http_status) == Delivery::Permanent ? SB_ERR_PERMANENT : SB_ERR_RETRY;
  }
}

}  // namespace

WindowDecision decide_window(int64_t last_inbound_at, int64_t now, bool automated, const WindowPolicy& policy) {
  WindowDecision d;
  if (last_inbound_at <= 0) {
    d.reason = "the person has never messaged this Page: Messenger allows no message before theirs";
    return d;
  }
  int64_t age = now - last_inbound_at;
  bool tagged = !automated && policy.human_agent_tag;
  d.closes_at = last_inbound_at + (tagged ? policy.human_agent_ms : policy.standard_ms);
  if (age <= policy.standard_ms) {
    d.allowed = true;
    d.messaging_type = "RESPONSE";
    return d;
  }
  if (automated) {
    d.reason = "standard messaging window closed: the person's last message is older than " +
               std::to_string(policy.standard_ms / 3600000) + " h";
    return d;
  }
  if (!policy.human_agent_tag) {
    d.reason = "standard messaging window closed and human_agent_tag is off";
    return d;
  }
  if (age <= policy.human_agent_ms) {
    d.allowed = true;
    d.messaging_type = "MESSAGE_TAG";
    d.tag = "HUMAN_AGENT";
    return d;
  }
  d.reason = "human agent window closed: the person's last message is older than " +
             std::to_string(policy.human_agent_ms / 86400000) + " days";
  return d;
}

std::vector<std::string> split_text(std::string_view text, std::size_t max_chars) {
  std::vector<std::string> pieces;
  while (!text.empty()) {
    // Walk max_chars code points; remember the last break opportunity.
    std::size_t pos = 0, chars = 0, last_break = 0;
    while (pos < text.size() && chars < max_chars) {
      ++pos;
      while (pos < text.size() && utf8_continuation(text[pos])) ++pos;
      ++chars;
      char c = text[pos - 1];
      if ((c == ' ' || c == '\n') && chars > max_chars / 2) last_break = pos;
    }
    std::size_t cut = pos == text.size() || last_break == 0 ? pos : last_break;
    pieces.emplace_back(text.substr(0, cut));
    text.remove_prefix(cut);
  }
  return pieces;
}

SendFailure classify_failure(const HttpOutcome& outcome) {
  SendFailure f;
  f.retry_after_ms = outcome.retry_after_ms;
  if (outcome.status == 0) {
    f.status = SB_ERR_RETRY;
    f.code = "no_response";
    f.reason = "Send API unreachable: " + outcome.error;
    return f;
  }
  GraphError e;
  if (!parse_graph_error(outcome.body, e)) {
    f.status = classify_status(outcome.status) == Delivery::Permanent ? SB_ERR_PERMANENT : SB_ERR_RETRY;
    f.code = std::to_string(outcome.status);
    f.reason = "Send API answered HTTP " + f.code + " " + outcome.body.substr(0, 200);
    return f;
  }
  f.status = status_for(e, outcome.status, f.alert);
  f.code = std::to_string(e.code) + (e.subcode != 0 ? "/" + std::to_string(e.subcode) : "");
  f.reason = "Send API error " + f.code + " (HTTP " + std::to_string(outcome.status) + "): " + e.message;
  return f;
}

}  // namespace switchboard::plugins::messenger
