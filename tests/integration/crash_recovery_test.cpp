// Crash-only operation of the real host (DESIGN.md §2, rules 1, 4 and 6):
// kill -9 in the middle of a burst, SIGTERM with work in flight, and restarts
// on the same data_dir. Acknowledged means stored; stored means processed
// exactly once and answered, in each user's order.
#include <doctest/doctest.h>

#include <atomic>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "harness/conversation_script.hpp"
#include "harness/deployment.hpp"
#include "harness/metrics_text.hpp"
#include "harness/webhook_client.hpp"

using namespace switchboard::integration;
using namespace std::chrono_literals;

namespace {

// How far each user got: messages 1..acked[user] were answered 2xx.
struct BurstResult {
  std::vector<int> acked;
  int failures = 0;  // users stopped by a request without a 2xx
  int refusals = 0;  // of those, stopped by an answer (not by a dead connection)
  std::string first_refusal;
};

// Sends messages from[user]..per_user of every user: one thread (and one
// keep-alive connection) per user, so each user's send order is defined. A
// user stops at its first request without a 2xx, as a platform would stop and
// retry later.
BurstResult send_burst(int port, const std::string& tag, const std::vector<int>& from, int per_user,
                       std::atomic<int>& acks) {
  BurstResult result;
  result.acked.resize(from.size());
  std::vector<std::optional<HttpAnswer>> stopped_by(from.size());
  std::vector<std::thread> threads;
  for (std::size_t user = 0; user < from.size(); ++user) {
    threads.emplace_back([&, user] {
      WebhookClient client(port, kSecret);
      result.acked[user] = from[user] - 1;
      for (int number = from[user]; number <= per_user; ++number) {
        HttpAnswer answer = client.post(kInbox, numbered_message(tag, {static_cast<int>(user), number}));
        if (!answer.ok()) {
          stopped_by[user] = answer;
          return;
        }
        result.acked[user] = number;
        acks.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& stop : stopped_by) {
    if (!stop) continue;
    ++result.failures;
    if (stop->status == 0) continue;
    ++result.refusals;
    if (result.first_refusal.empty()) result.first_refusal = std::to_string(stop->status) + " " + stop->body;
  }
  return result;
}

std::string first_of(const std::vector<std::string>& items) { return items.empty() ? "" : items.front(); }

std::set<std::string> all_message_ids(const std::string& tag, int users, int per_user) {
  std::set<std::string> ids;
  for (int user = 0; user < users; ++user) {
    for (int number = 1; number <= per_user; ++number) ids.insert(numbered_message(tag, {user, number}).message_id);
  }
  return ids;
}

bool outbox_settled(const StoreReader& store) {
  return store.scalar("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending', 'retrying')") == 0;
}

// Every stored event processed once: one inbound message row and one
// decision-log entry per event, and no event left unprocessed.
void check_processed_exactly_once(const StoreReader& store) {
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NULL") == 0);
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events e WHERE (SELECT COUNT(*) FROM messages m "
                     "WHERE m.event_id = e.id AND m.direction = 'in') <> 1") == 0);
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events e WHERE (SELECT COUNT(*) FROM decision_log d "
                     "WHERE d.event_id = e.id) <> 1") == 0);
  CHECK(store.scalar("SELECT COUNT(*) FROM (SELECT 1 FROM inbound_events GROUP BY inbox, channel_message_id "
                     "HAVING COUNT(*) > 1)") == 0);
}

// A message processed twice would have two outbox rows, so two ids.
std::vector<std::string> messages_answered_by_two_rows(const std::vector<Delivery>& deliveries) {
  std::map<std::string, std::set<std::string>> rows;
  for (const Delivery& delivery : deliveries) rows[delivery.in_reply_to].insert(delivery.outbox_id);
  std::vector<std::string> found;
  for (const auto& [message, ids] : rows) {
    if (ids.size() > 1) found.push_back(message);
  }
  return found;
}

// Acknowledged messages (1..acked[user] of each user) missing from the inbound log.
std::vector<std::string> acknowledged_but_not_stored(const StoreReader& store, const std::string& tag,
                                                     const std::vector<int>& acked) {
  std::set<std::string> stored;
  for (const Row& row : store.rows("SELECT channel_message_id FROM inbound_events WHERE inbox = 'web'")) {
    stored.insert(row[0]);
  }
  std::vector<std::string> lost;
  for (std::size_t user = 0; user < acked.size(); ++user) {
    for (int number = 1; number <= acked[user]; ++number) {
      auto id = numbered_message(tag, {static_cast<int>(user), number}).message_id;
      if (!stored.count(id)) lost.push_back(id);
    }
  }
  return lost;
}

int bad_signatures(const std::vector<Delivery>& deliveries) {
  int bad = 0;
  for (const Delivery& delivery : deliveries) bad += delivery.signature_ok && delivery.well_formed ? 0 : 1;
  return bad;
}

}  // namespace

TEST_CASE("kill -9 in the middle of a burst loses no acknowledged message and processes each exactly once") {
  constexpr int kUsers = 20;
  constexpr int kPerUser = 100;
  constexpr int kKillAfterAcks = (kUsers * kPerUser) / 2;
  Deployment deployment;
  const std::string tag = "crash";

  // 1. The burst, and kill -9 once about half of it is acknowledged.
  auto host = deployment.start();
  std::atomic<int> acks{0};
  BurstResult first;
  std::thread burst([&] { first = send_burst(host->port(), tag, std::vector<int>(kUsers, 1), kPerUser, acks); });
  bool halfway = eventually([&] { return acks.load() >= kKillAfterAcks; }, 120s, 1ms);
  host->kill_hard();
  burst.join();
  REQUIRE_MESSAGE(halfway, "only " << acks.load() << " acks before the deadline; host log:\n" << host->log_tail());
  int acknowledged = 0;
  for (int last : first.acked) acknowledged += last;
  MESSAGE("killed the host after " << acknowledged << " of " << kUsers * kPerUser << " messages were acknowledged");
  CHECK_MESSAGE(first.refusals == 0, "the host refused a valid message before the kill: " << first.first_refusal);
  REQUIRE(acknowledged < kUsers * kPerUser);  // otherwise nothing was interrupted

  // Before any restart: the dead host's file already holds every acknowledged message.
  auto store = deployment.store();
  auto lost = acknowledged_but_not_stored(store, tag, first.acked);
  CHECK_MESSAGE(lost.empty(),
                lost.size() << " acknowledged messages are not in the log after kill -9, e.g. " << first_of(lost));
  MESSAGE("left by the kill: " << store.scalar("SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NULL")
                               << " unprocessed events, "
                               << store.scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
                               << " unsent replies");

  // 2. Restart on the same data_dir; the platform retries what was not acknowledged.
  host = deployment.start();
  std::vector<int> resume;
  for (int last : first.acked) resume.push_back(last + 1);
  BurstResult second = send_burst(host->port(), tag, resume, kPerUser, acks);
  INFO("host log after restart:\n" << host->log_tail());
  REQUIRE_MESSAGE(second.failures == 0, second.failures << " users' retries failed, first: " << second.first_refusal);

  // 3. Every message gets its reply; the outbox settles.
  const auto expected = all_message_ids(tag, kUsers, kPerUser);
  bool all_answered = deployment.receiver().wait_until(
      [&expected](const auto& deliveries) { return unanswered(deliveries, expected).empty(); }, 180s);
  auto deliveries = deployment.receiver().deliveries();
  auto missing = unanswered(deliveries, expected);
  CHECK_MESSAGE(all_answered, missing.size() << " messages without a reply, e.g. " << first_of(missing));
  CHECK(eventually([&store] { return outbox_settled(store); }, 30s));
  deliveries = deployment.receiver().deliveries();

  // Stored exactly once, processed exactly once.
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events WHERE inbox = 'web'") == kUsers * kPerUser);
  lost = acknowledged_but_not_stored(store, tag, first.acked);
  CHECK_MESSAGE(lost.empty(), lost.size() << " acknowledged messages are not stored, e.g. " << first_of(lost));
  check_processed_exactly_once(store);
  CHECK(store.scalar("SELECT COUNT(*) FROM outbox") == kUsers * kPerUser);
  CHECK(store.scalar("SELECT COUNT(*) FROM messages WHERE direction = 'out'") == kUsers * kPerUser);
  CHECK(store.scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'") == 0);

  // What the receiver saw: signed, one outbox row per message, in order.
  CHECK(bad_signatures(deliveries) == 0);
  auto twice = messages_answered_by_two_rows(deliveries);
  CHECK_MESSAGE(twice.empty(), twice.size() << " messages answered from two outbox rows, e.g. " << first_of(twice));
  auto first_order = first_reply_order_violations(deliveries);
  CHECK_MESSAGE(first_order.empty(), first_order.size()
                                         << " out-of-order first replies, e.g. " << first_of(first_order));
  auto attempt_order = attempt_order_violations(deliveries);
  CHECK_MESSAGE(attempt_order.empty(), attempt_order.size()
                                           << " deliveries after a later message's, e.g. " << first_of(attempt_order));

  // Repeats are the sends in flight at the kill, re-sent after restart.
  int repeats = repeated_deliveries(deliveries);
  MESSAGE("replies delivered twice because of the kill: " << repeats << " (of " << deliveries.size() << " deliveries)");
  CHECK(repeats <= deployment.settings().outbox_workers * 2);
  CHECK(host->terminate() == 0);
}

TEST_CASE("SIGTERM with work in flight exits 0 and a restart processes nothing twice") {
  constexpr int kUsers = 10;
  constexpr int kPerUser = 20;
  Deployment deployment;
  const std::string tag = "term";
  const auto expected = all_message_ids(tag, kUsers, kPerUser);
  auto store = deployment.store();

  // 1. A burst, every message acknowledged, then SIGTERM at once.
  auto host = deployment.start();
  std::atomic<int> acks{0};
  BurstResult burst = send_burst(host->port(), tag, std::vector<int>(kUsers, 1), kPerUser, acks);
  REQUIRE_MESSAGE(burst.failures == 0, "first refusal: " << burst.first_refusal);
  int code = host->terminate();
  INFO("host log:\n" << host->log_tail());
  CHECK(code == 0);
  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events") == kUsers * kPerUser);

  // 2. A restart finishes whatever was left, without repeating anything.
  host = deployment.start();
  CHECK(deployment.receiver().wait_until(
      [&expected](const auto& deliveries) { return unanswered(deliveries, expected).empty(); }, 60s));
  CHECK(eventually([&store] { return outbox_settled(store); }, 30s));
  auto deliveries = deployment.receiver().deliveries();
  check_processed_exactly_once(store);
  CHECK(store.scalar("SELECT COUNT(*) FROM outbox") == kUsers * kPerUser);
  CHECK(repeated_deliveries(deliveries) == 0);
  CHECK(first_reply_order_violations(deliveries).empty());
  CHECK(host->terminate() == 0);

  // 3. Another restart has nothing to do: no reprocessing, no resending.
  std::size_t delivered = deployment.receiver().deliveries().size();
  host = deployment.start();
  WebhookClient client(host->port(), kSecret);
  std::this_thread::sleep_for(1500ms);  // > retry_base_ms and any start-up recovery pass
  CHECK(deployment.receiver().deliveries().size() == delivered);
  auto metrics = client.get("/metrics");
  REQUIRE(metrics.status == 200);
  REQUIRE(has_metric(metrics.body, "switchboard_processed_total"));
  CHECK(metric_value(metrics.body, "switchboard_processed_total").value_or(0) == 0);
  CHECK(metric_value(metrics.body, "switchboard_replies_total", {{"result", "sent"}}).value_or(0) == 0);

  // An old message retried by the platform is a duplicate; a new one is answered.
  CHECK(client.post(kInbox, numbered_message(tag, {0, 1})).status == 200);
  CHECK(client.post(kInbox, numbered_message(tag, {0, kPerUser + 1})).status == 200);
  auto next = numbered_message(tag, {0, kPerUser + 1}).message_id;
  CHECK(deployment.receiver().wait_until([&next](const auto& all) { return unanswered(all, {next}).empty(); }, 15s));
  CHECK(metric_eventually(client, "switchboard_inbound_total", {{"result", "duplicate"}}, 1) == 1);
  CHECK(metric_eventually(client, "switchboard_processed_total", {}, 1) == 1);
  CHECK(deployment.receiver().deliveries().size() == delivered + 1);
  CHECK(host->terminate() == 0);
}
