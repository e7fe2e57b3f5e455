// Inbound event types that change stored facts without running a pipeline
// (docs/plugin-guide.md, "inbound event contract"):
//   contact_update — name/phone/avatar/channel attributes of the sender; with
//                    "interaction": true it also moves last_inbound_at (the
//                    send window), like a message would;
//   receipt        — outbound messages delivered or read.
// Called by MessageProcessor from the scheduler's worker threads.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "store/store.hpp"

namespace switchboard::processing {

// Applies `event` when its type is one of the above and returns true (the
// event is then processed); false for every other type.
bool apply_channel_event(store::Store& store, const std::string& type, const store::StoredEvent& event,
                         const nlohmann::json& payload);

}  // namespace switchboard::processing
