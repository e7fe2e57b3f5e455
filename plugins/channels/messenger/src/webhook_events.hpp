// Messenger webhook batches (object "page") → Switchboard inbound events.
// Pure functions over parsed JSON: no I/O, no host calls, so every event kind
// is testable on its own. Called from on_http (any host thread).
#pragma once

#include <switchboard/sdk.hpp>

#include <string>
#include <vector>

namespace switchboard::plugins::messenger {

// The Page Inbox (Meta Business Suite inbox) app in the Handover Protocol.
inline constexpr const char* kPageInboxAppId = "263902037430900";

struct WebhookBatch {
  std::vector<sdk::Json> events;     // one per recognised messaging/standby item, in delivery order
  std::vector<std::string> skipped;  // why items were left out (for the log)
};

struct WebhookIdentity {
  std::string app_id;   // echoes from this app are our own sends
  std::string page_id;  // entries for other Pages are skipped
};

// Turns every entry[].messaging[] and entry[].standby[] item into events.
// body must be an object with "object": "page" (checked by the caller).
WebhookBatch to_events(const sdk::Json& body, const WebhookIdentity& identity);

// A JSON number or numeric string as text ("" when neither): Meta sends ids
// and timestamps both ways.
std::string id_text(const sdk::Json& value);

}  // namespace switchboard::plugins::messenger
