// Small steps the handoff tests share: a customer writes to the api inbox,
// and what the database says of their conversation.
// Threads: the test thread.
#pragma once

#include <cstdint>
#include <string>

#include "harness/deployment.hpp"
#include "harness/webhook_client.hpp"

namespace switchboard::integration {

// The conversation of the api inbox's user `user` (0 when none yet).
int64_t conversation_of(const Deployment& d, const std::string& user);
// "state/assignee", e.g. "assigned/lan" or "queued/".
std::string state_of(const Deployment& d, int64_t id);
// A signed message from `user` (named "Khách <user>") to the api inbox; REQUIREs acceptance.
void say(WebhookClient& client, const std::string& user, const std::string& id, const std::string& text);

}  // namespace switchboard::integration
