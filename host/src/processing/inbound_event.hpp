// Checks and normalises what a channel submits (sb_host_v1.submit_inbound):
//   {"id": "<channel message id>", "type": "message", "sender": {"id": "…", …}, …}
// "id" and "sender.id" are required non-empty strings; "type" defaults to
// "message". The host refuses anything else before it reaches the log.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace switchboard::processing {

// Parses event_json for `inbox`; on failure returns false and says why.
bool parse_inbound_event(const std::string& inbox, std::string_view event_json, store::Millis now,
                         store::InboundEvent& out, std::string& why);

}  // namespace switchboard::processing
