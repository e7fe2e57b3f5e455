// The outbox of the real host against a callback receiver that misbehaves
// (DESIGN.md §2, rule 5): transient failures are retried with backoff and
// Retry-After, in order per conversation; permanent ones become dead letters
// without blocking the conversation behind them.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "harness/conversation_script.hpp"
#include "harness/deployment.hpp"
#include "harness/metrics_text.hpp"
#include "harness/webhook_client.hpp"

using namespace switchboard::integration;
using namespace std::chrono_literals;

namespace {

double replies_metric(WebhookClient& client, const std::string& result, double expected) {
  return metric_eventually(client, "switchboard_replies_total", {{"inbox", kInbox}, {"result", result}}, expected);
}

const Delivery* find_delivery(const std::vector<Delivery>& deliveries, const std::function<bool(const Delivery&)>& pick,
                              int after_seq = -1) {
  for (const Delivery& delivery : deliveries) {
    if (delivery.seq > after_seq && pick(delivery)) return &delivery;
  }
  return nullptr;
}

long long millis_between(const Delivery& earlier, const Delivery& later) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(later.at - earlier.at).count();
}

}  // namespace

TEST_CASE("a callback failing with 500, 429 Retry-After and a hang gets every reply later, in order") {
  HostSettings settings;
  settings.callback_timeout_ms = 500;
  settings.retry_base_ms = 100;
  settings.retry_max_ms = 400;  // below Retry-After, so honouring it shows
  Deployment deployment(settings);
  constexpr int kFailures = 3;
  constexpr int kTooMany = kFailures;  // the 429
  constexpr int kHung = kFailures + 1;
  constexpr auto kHang = 3000ms;
  deployment.receiver().set_script([&](const Delivery& delivery) {
    if (delivery.seq < kFailures) return Answer{500, "", "flaky"};
    if (delivery.seq == kTooMany) return Answer{429, "1", "slow down"};
    if (delivery.seq == kHung) return Answer{503, "", "too late", kHang};
    return Answer{};
  });
  auto host = deployment.start();
  WebhookClient client(host->port(), kSecret);

  constexpr int kUsers = 3;
  constexpr int kPerUser = 5;
  std::set<std::string> expected;
  for (int number = 1; number <= kPerUser; ++number) {
    for (int user = 0; user < kUsers; ++user) {
      auto message = numbered_message("retry", {user, number});
      REQUIRE(client.post(kInbox, message).status == 200);
      expected.insert(message.message_id);
    }
  }

  bool answered = deployment.receiver().wait_until(
      [&expected](const auto& deliveries) { return unanswered(deliveries, expected).empty(); }, 60s);
  auto store = deployment.store();
  CHECK(eventually([&store] { return store.scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'") == 0; }, 10s));
  auto deliveries = deployment.receiver().deliveries();
  INFO("host log:\n" << host->log_tail());
  REQUIRE(answered);
  REQUIRE(deliveries.size() > static_cast<std::size_t>(kHung));

  // None lost, none twice, each user's replies in order, every attempt signed.
  CHECK(repeated_deliveries(deliveries) == 0);
  CHECK(first_reply_order_violations(deliveries).empty());
  auto attempt_order = attempt_order_violations(deliveries);
  CHECK_MESSAGE(attempt_order.empty(), "deliveries after a later message's: " << attempt_order.size());
  for (const Delivery& delivery : deliveries) CHECK(delivery.signature_ok);
  CHECK(store.scalar("SELECT COUNT(*) FROM dead_letters") == 0);

  // Retry-After: 1 wins over a 400 ms backoff cap.
  const Delivery& too_many = deliveries[kTooMany];
  const Delivery* after_429 = find_delivery(
      deliveries, [&](const Delivery& d) { return d.outbox_id == too_many.outbox_id; }, kTooMany);
  REQUIRE(after_429 != nullptr);
  CHECK(millis_between(too_many, *after_429) >= 950);

  // The hang is cut off at timeout_ms and retried while the receiver still hangs.
  const Delivery& hung = deliveries[kHung];
  const Delivery* after_hang = find_delivery(
      deliveries, [&](const Delivery& d) { return d.outbox_id == hung.outbox_id; }, kHung);
  REQUIRE(after_hang != nullptr);
  CHECK(millis_between(hung, *after_hang) < std::chrono::duration_cast<std::chrono::milliseconds>(kHang).count());

  // outbox.attempts counts the sends the receiver saw, row by row.
  std::map<std::string, int64_t> sends;
  for (const Delivery& delivery : deliveries) ++sends[delivery.outbox_id];
  for (const Row& row : store.rows("SELECT id, attempts FROM outbox")) {
    INFO("outbox row " << row[0]);
    CHECK(std::stoll(row[1]) == sends[row[0]]);
  }
  CHECK(store.scalar("SELECT MAX(attempts) FROM outbox") > 1);
  CHECK(replies_metric(client, "sent", kUsers * kPerUser) == kUsers * kPerUser);
  CHECK(replies_metric(client, "retried", kHung + 1) >= kHung + 1);
  CHECK(host->terminate() == 0);
}

TEST_CASE("a callback answered 400 becomes a dead letter with the reason and the next reply still goes out") {
  Deployment deployment;
  deployment.receiver().set_script([](const Delivery& delivery) {
    if (delivery.text.find("poison") != std::string::npos) return Answer{400, "", "user blocked the bot"};
    return Answer{};
  });
  auto host = deployment.start();
  WebhookClient client(host->port(), kSecret);
  REQUIRE(client.post(kInbox, WebhookMessage{"dead-1", "user-dead", "Minh", "poison"}).status == 200);
  REQUIRE(client.post(kInbox, WebhookMessage{"dead-2", "user-dead", "Minh", "after"}).status == 200);

  bool next_delivered = deployment.receiver().wait_until(
      [](const auto& deliveries) { return unanswered(deliveries, {"dead-2"}).empty(); }, 30s);
  INFO("host log:\n" << host->log_tail());
  CHECK(next_delivered);

  auto store = deployment.store();
  auto dead = store.rows("SELECT id, error_code, last_error FROM dead_letters");
  REQUIRE(dead.size() == 1);
  CHECK(dead[0][1] == "400");
  CHECK(dead[0][2].find("400") != std::string::npos);
  CHECK(dead[0][2].find("user blocked the bot") != std::string::npos);
  CHECK(store.scalar("SELECT attempts FROM outbox WHERE id = " + dead[0][0]) == 1);

  // A permanent failure is not retried; the dead head went first, then the next reply.
  auto deliveries = deployment.receiver().deliveries();
  REQUIRE(deliveries.size() == 2);
  CHECK(deliveries[0].in_reply_to == "dead-1");
  CHECK(deliveries[0].outbox_id == dead[0][0]);
  CHECK(deliveries[1].in_reply_to == "dead-2");
  CHECK(deliveries[1].acknowledged());
  CHECK(replies_metric(client, "dead", 1) == 1);
  CHECK(replies_metric(client, "sent", 1) == 1);
  CHECK(host->terminate() == 0);
}
