// Numbered messages from numbered users, and the checks on what the callback
// receiver got back for them: one reply each, in each user's order.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "harness/callback_receiver.hpp"
#include "harness/webhook_client.hpp"

namespace switchboard::integration {

// Message `number` (1-based) of user `user` in test run `tag`.
struct MessageRef {
  int user = 0;
  int number = 0;
};

// message_id "<tag>-u<user>-m<number>", user id "<tag>-u<user>",
// text "u<user> #<number>".
WebhookMessage numbered_message(const std::string& tag, MessageRef ref);
// Inverse of numbered_message's message_id; false for another id.
bool parse_message_id(const std::string& message_id, MessageRef& ref);

// Acknowledged (2xx) deliveries grouped by the message they answer.
std::map<std::string, std::vector<Delivery>> acknowledged_by_message(const std::vector<Delivery>& deliveries);

// Message ids of `expected` without an acknowledged reply.
std::vector<std::string> unanswered(const std::vector<Delivery>& deliveries, const std::set<std::string>& expected);

// Acknowledged deliveries beyond the first of each message.
int repeated_deliveries(const std::vector<Delivery>& deliveries);

// Per user, the first acknowledged reply to each message must arrive in
// message order; one line per violation.
std::vector<std::string> first_reply_order_violations(const std::vector<Delivery>& deliveries);

// Per user, every delivery attempt (whatever the answer) must be for the same
// or a later message than the one before: the outbox sends only the head of a
// conversation. One line per violation.
std::vector<std::string> attempt_order_violations(const std::vector<Delivery>& deliveries);

}  // namespace switchboard::integration
