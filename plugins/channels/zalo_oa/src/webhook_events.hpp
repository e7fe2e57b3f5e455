// Zalo OA webhook events (one event per POST) → Switchboard inbound events.
// Pure functions over parsed JSON: no I/O, no host calls, so every event
// kind is testable on its own. Called from on_http (any host thread).
#pragma once

#include <switchboard/sdk.hpp>

#include <string>

namespace switchboard::plugins::zalo_oa {

struct OaIdentity {
  std::string app_id;  // the App the events must be addressed to
  std::string oa_id;   // "" accepts any OA; else events for other OAs are dropped
};

// What one webhook body means for the host.
struct WebhookEvent {
  sdk::Json event;           // the inbound event to submit; null when nothing is submitted
  std::string ignored;       // why nothing is submitted (for the log), when event is null
  std::string profile_user;  // a user whose profile may be worth fetching ("" when none)
  bool probe = false;        // the registration probe (empty, {}, no event_name)
};

// Maps one parsed body (an object) to its event. Never throws for odd field
// types: an event it cannot read is ignored with a reason.
WebhookEvent to_event(const sdk::Json& body, const OaIdentity& identity);

// A JSON string or number as text ("" when neither): ids stay strings.
std::string id_text(const sdk::Json& value);

// Zalo's epoch-ms timestamp (a string of digits, or a number); 0 when absent.
int64_t timestamp_of(const sdk::Json& value);

}  // namespace switchboard::plugins::zalo_oa
