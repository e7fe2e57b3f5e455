// Claiming, sending and recording outcomes.
#include "outbox/outbox_dispatcher.hpp"

#include <switchboard/sdk.hpp>

#include <boost/asio/post.hpp>
#include <chrono>

#include "app/background_priority.hpp"
#include "log/logger.hpp"
#include "outbox/send_context.hpp"

namespace switchboard::outbox {

using store::now_ms;

namespace {

// Even with nothing due, look again this often: a clock jump or a row
// written by another host process must not wait forever.
constexpr store::Millis kMaxIdleMs = 1000;
// Rows claimed ahead per sender thread.
constexpr std::size_t kClaimsPerWorker = 16;

std::string reason_of(const SendContext& ctx, sb_status status) {
  return ctx.error().empty() ? std::string("status ") + sdk::status_name(status) : ctx.error();
}

}  // namespace

const char* to_string(SendResult result) {
  switch (result) {
    case SendResult::Sent: return "sent";
    case SendResult::Retried: return "retried";
    case SendResult::Dead: return "dead";
    case SendResult::Blocked: return "blocked";
  }
  return "?";
}

OutboxDispatcher::OutboxDispatcher(app::RuntimeSource& runtimes, store::Store& store, std::size_t workers,
                                   BackoffPolicy policy, Observer observer)
    : runtimes_(runtimes),
      store_(store),
      workers_(workers),
      policy_(policy),
      observer_(std::move(observer)),
      pool_(workers) {}

OutboxDispatcher::~OutboxDispatcher() { stop(); }

void OutboxDispatcher::start() {
  if (scheduler_.joinable()) return;
  scheduler_ = std::thread([this] {
    app::enter_background_priority("sb-outbox-timer");
    schedule_loop();
  });
}

void OutboxDispatcher::notify() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ = true;
  }
  wake_.notify_one();
}

void OutboxDispatcher::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (scheduler_.joinable()) scheduler_.join();
  pool_.join();
  // Sent marks still in the writer's queue call back into this object.
  std::unique_lock<std::mutex> lock(mutex_);
  settled_.wait(lock, [this] { return in_flight_ == 0; });
}

void OutboxDispatcher::schedule_loop() {
  for (;;) {
    std::size_t free_slots;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (stopping_) return;
      pending_ = false;
      free_slots = workers_ * kClaimsPerWorker - std::min(in_flight_, workers_ * kClaimsPerWorker);
    }
    std::vector<store::OutboxRow> rows;
    store::Millis wait_ms = kMaxIdleMs;
    try {
      if (free_slots > 0) rows = store_.claim_outbox(now_ms(), static_cast<int>(free_slots));
      std::optional<store::Millis> due = store_.next_outbox_due();
      if (due) wait_ms = std::clamp<store::Millis>(*due - now_ms(), 0, kMaxIdleMs);
    } catch (const std::exception& e) {
      log::error("outbox", std::string("claiming rows failed: ") + e.what());
    }
    for (auto& row : rows) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++in_flight_;
      }
      boost::asio::post(pool_, [this, r = std::move(row)] { deliver(r); });
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (!rows.empty() && in_flight_ < workers_ * kClaimsPerWorker) continue;  // there may be more due right now
    wake_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return pending_ || stopping_; });
  }
}

void OutboxDispatcher::deliver(const store::OutboxRow& row) {
  app::enter_background_priority("sb-outbox");
  bool stopping;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping = stopping_;
  }
  // Claimed but not sent: it stays "sending" and start-up sends it.
  if (stopping) return release();
  std::optional<SendResult> result = SendResult::Retried;
  try {
    result = attempt(row);
  } catch (const std::exception& e) {
    // Recording the outcome failed; the row stays "sending" and is resent
    // after a restart (at-least-once; the idempotency key lets the far side
    // drop the duplicate).
    log::error("outbox", "row " + std::to_string(row.id) + ": " + e.what());
  }
  if (result) settle(row.inbox, *result);
}

void OutboxDispatcher::settle(const std::string& inbox, SendResult result) {
  observer_(inbox, result);
  release();
}

void OutboxDispatcher::release() {
  std::lock_guard<std::mutex> lock(mutex_);
  --in_flight_;
  pending_ = true;
  // Under the lock: once in_flight_ can reach 0, stop() may return and this
  // object go right after the unlock.
  wake_.notify_one();
  if (in_flight_ == 0) settled_.notify_all();
}

void OutboxDispatcher::mark_sent(const store::OutboxRow& row, const std::string& platform_message_id) {
  store::Id id = row.id;
  std::string inbox = row.inbox;
  store_.outbox_sent_async(id, platform_message_id, now_ms(), [this, id, inbox](std::exception_ptr error) {
    if (!error) return settle(inbox, SendResult::Sent);
    // As in deliver(): the row stays "sending" and is resent after a restart.
    log::error("outbox", "row " + std::to_string(id) + ": " + log::describe(error));
    settle(inbox, SendResult::Retried);
  });
}

std::optional<SendResult> OutboxDispatcher::attempt(const store::OutboxRow& row) {
  std::shared_ptr<const app::Runtime> runtime = runtimes_.current();
  const app::Inbox* inbox = runtime->inbox(row.inbox);
  if (inbox == nullptr || !inbox->channel) {
    store_.outbox_dead(row.id, "no_inbox", "inbox '" + row.inbox + "' is no longer configured", now_ms());
    return SendResult::Dead;
  }
  nlohmann::json payload = nlohmann::json::parse(row.payload_json);
  payload["idempotency_key"] = std::to_string(row.id);
  std::string outbound = payload.dump();
  std::string label = "inbox '" + row.inbox + "' outbox " + std::to_string(row.id);

  SendContext check(label);
  sb_status allowed = inbox->channel->may_send(check, outbound);
  if (allowed == SB_ERR_RETRY)
    return retry_or_die(row, reason_of(check, allowed), check.result().value("retry_after_ms", -1));
  if (allowed != SB_OK) {
    std::string code = check.result().value("code", std::string(sdk::status_name(allowed)));
    store_.outbox_blocked(row.id, code, reason_of(check, allowed), now_ms());
    log::warn("outbox", label + " blocked: " + reason_of(check, allowed));
    return SendResult::Blocked;
  }

  SendContext send(label);
  sb_status status = inbox->channel->send(send, outbound);
  if (status == SB_OK) {
    mark_sent(row, send.result().value("message_id", ""));
    auto billable = check.result().find("billable");
    if (billable != check.result().end() && *billable == true) record_billable(row, check.result());
    return std::nullopt;
  }
  // Unknown failures are treated as transient: retrying costs a little,
  // dead-lettering a reply that would have gone through costs a customer.
  if (status == SB_ERR_RETRY || status == SB_ERR_FAILED) {
    return retry_or_die(row, reason_of(send, status), send.result().value("retry_after_ms", -1));
  }
  std::string code = send.result().value("code", std::string(sdk::status_name(status)));
  store_.outbox_dead(row.id, code, reason_of(send, status), now_ms());
  log::warn("outbox", label + " dead letter: " + reason_of(send, status));
  return SendResult::Dead;
}

// A paid send (Zalo: a CS message 48 h – 7 d after the user's last
// interaction): noted in the decision log and counted.
void OutboxDispatcher::record_billable(const store::OutboxRow& row, const nlohmann::json& check) {
  nlohmann::json note = {{"outbox_id", row.id}, {"inbox", row.inbox}, {"decided", "billable send"}, {"channel", check}};
  try {
    store_.record_decision(row.conversation_id, note.dump());
  } catch (const std::exception& e) {
    log::error("outbox", "row " + std::to_string(row.id) + ": billable note not stored: " + e.what());
  }
  if (billable_observer_) billable_observer_(row.inbox);
}

SendResult OutboxDispatcher::retry_or_die(const store::OutboxRow& row, const std::string& reason,
                                          int64_t retry_after_ms) {
  int64_t attempt = row.attempts + 1;
  if (attempt >= policy_.max_attempts) {
    store_.outbox_dead(row.id, "gave_up", "gave up after " + std::to_string(attempt) + " attempts: " + reason,
                       now_ms());
    return SendResult::Dead;
  }
  int64_t delay;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    delay = backoff_delay_ms(policy_, attempt, retry_after_ms, rng_);
  }
  store_.outbox_retry(row.id, now_ms() + delay, reason);
  log::info("outbox", "row " + std::to_string(row.id) + " retry in " + std::to_string(delay) + " ms: " + reason);
  return SendResult::Retried;
}

}  // namespace switchboard::outbox
