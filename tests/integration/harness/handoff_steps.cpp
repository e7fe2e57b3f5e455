// Database reads and webhook posts of the handoff tests.
#include "harness/handoff_steps.hpp"

#include <doctest/doctest.h>

namespace switchboard::integration {

int64_t conversation_of(const Deployment& d, const std::string& user) {
  return d.store().scalar(
      "SELECT v.id FROM conversations v JOIN identities i ON i.contact_id = v.contact_id AND i.inbox = v.inbox "
      "WHERE i.external_id = '" +
      user + "'");
}

std::string state_of(const Deployment& d, int64_t id) {
  auto rows = d.store().rows("SELECT state || '/' || COALESCE(assignee, '') FROM conversations WHERE id = " +
                             std::to_string(id));
  return rows.empty() ? "" : rows[0][0];
}

void say(WebhookClient& client, const std::string& user, const std::string& id, const std::string& text) {
  REQUIRE(client.post(kInbox, WebhookMessage{id, user, "Khách " + user, text}).ok());
}

}  // namespace switchboard::integration
