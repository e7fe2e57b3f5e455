// The webhook front door of the real host: what gets acknowledged, what is
// refused with which status, and what reaches the inbound log (DESIGN.md §2,
// rules 1 and 2).
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <thread>

#include "harness/conversation_script.hpp"
#include "harness/deployment.hpp"
#include "harness/metrics_text.hpp"
#include "harness/signature.hpp"
#include "harness/webhook_client.hpp"

using namespace switchboard::integration;
using namespace std::chrono_literals;

namespace {

double metric(WebhookClient& client, const std::string& name, const Labels& labels) {
  auto metrics = client.get("/metrics");
  REQUIRE(metrics.status == 200);
  REQUIRE(has_metric(metrics.body, name));
  return metric_value(metrics.body, name, labels).value_or(0);
}

double inbound_metric(WebhookClient& client, const std::string& result) {
  return metric(client, "switchboard_inbound_total", {{"inbox", kInbox}, {"result", result}});
}

}  // namespace

TEST_CASE("a webhook delivered three times is acknowledged each time, stored once and answered once") {
  Deployment deployment;
  auto host = deployment.start();
  WebhookClient client(host->port(), kSecret);
  WebhookMessage message{"dup-1", "user-dup", "Lan", "xin chào"};

  for (int i = 0; i < 3; ++i) CHECK(client.post(kInbox, message).status == 200);

  CHECK(deployment.receiver().wait_until(
      [](const auto& deliveries) { return !acknowledged_by_message(deliveries).empty(); }, 15s));
  // Give a second, wrong reply time to show up before counting.
  CHECK(eventually([&] { return deployment.store().scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'") == 0; },
                   10s));
  std::this_thread::sleep_for(500ms);

  auto deliveries = deployment.receiver().deliveries();
  REQUIRE(deliveries.size() == 1);
  const Delivery& reply = deliveries[0];
  CHECK(reply.signature_ok);
  CHECK(reply.well_formed);
  CHECK(reply.in_reply_to == "dup-1");
  CHECK(reply.user_id == "user-dup");
  CHECK(reply.text == "re:xin chào");

  auto store = deployment.store();
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events WHERE inbox = 'web' AND channel_message_id = 'dup-1'") == 1);
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events") == 1);
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NOT NULL") == 1);
  CHECK(store.scalar("SELECT COUNT(*) FROM outbox") == 1);
  // The idempotency key the receiver saw is the outbox row id.
  CHECK(std::to_string(store.scalar("SELECT id FROM outbox")) == reply.outbox_id);

  CHECK(inbound_metric(client, "accepted") == 1);
  CHECK(inbound_metric(client, "duplicate") == 2);
  CHECK(metric_eventually(client, "switchboard_processed_total", {}, 1) == 1);
  CHECK(metric_eventually(client, "switchboard_replies_total", {{"inbox", kInbox}, {"result", "sent"}}, 1) == 1);
  CHECK(metric(client, "switchboard_outbox_depth", {}) == 0);
  INFO(host->log_tail());
  CHECK(host->terminate() == 0);
}

TEST_CASE("refused webhooks get 413, 401, 400 or 404 and nothing is stored for them") {
  Deployment deployment;
  auto host = deployment.start();
  WebhookClient client(host->port(), kSecret);
  auto store = deployment.store();
  auto stored = [&store] { return store.scalar("SELECT COUNT(*) FROM inbound_events"); };
  REQUIRE(client.get("/healthz").status == 200);
  REQUIRE(client.get("/readyz").status == 200);
  INFO("host log:\n" << host->log_tail());

  WebhookMessage big{"big-1", "user-big", "Big", std::string(70'000, 'a')};
  CHECK(client.post(kInbox, big).status == 413);
  CHECK(stored() == 0);

  // 401 and 400 come from the api plugin; each is counted as rejected.
  int refused_by_channel = 0;
  auto refuse = [&](const std::string& body, const std::optional<std::string>& signature, int status) {
    INFO("body: " << body << "; signature: " << signature.value_or("(none)"));
    CHECK(client.post_signed_as(kInbox, body, signature).status == status);
    CHECK(stored() == 0);
    ++refused_by_channel;
  };
  std::string body = WebhookMessage{"sig-1", "user-sig", "Sig", "hello"}.body();
  refuse(body, signature_header("another-secret-123", body), 401);
  refuse(body, "sha256=" + std::string(64, '0'), 401);
  refuse(body, hmac_sha256_hex(kSecret, body), 401);  // no "sha256="
  refuse(body, std::nullopt, 401);
  refuse(WebhookMessage{"sig-1", "user-sig", "Sig", "hellO"}.body(), signature_header(kSecret, body), 401);

  auto signed_as_is = [](const std::string& text) { return signature_header(kSecret, text); };
  for (std::string malformed :
       {R"({"message_id": "bad-1", "user": {"id": "x"}, "text": )", "[1, 2, 3]",
        R"({"user": {"id": "x"}, "text": "no id"})", R"({"message_id": "bad-2", "text": "no user"})",
        R"({"message_id": "bad-3", "user": {"id": ""}, "text": "empty user id"})",
        R"({"message_id": "bad-4", "user": {"id": "x"}})"}) {
    refuse(malformed, signed_as_is(malformed), 400);
  }

  CHECK(client.post("nope", WebhookMessage{"lost-1", "user-lost", "Lost", "hello"}).status == 404);
  CHECK(stored() == 0);
  CHECK(inbound_metric(client, "rejected") >= refused_by_channel);

  // The same host still takes a good message, so the zeros above were no accident.
  CHECK(client.post(kInbox, WebhookMessage{"good-1", "user-good", "Good", "hello"}).status == 200);
  CHECK(stored() == 1);
  CHECK(inbound_metric(client, "accepted") == 1);
  CHECK(host->terminate() == 0);
}
