// Sends outbox rows through their inbox's channel plugin.
//
// One scheduling thread claims due rows (the store only hands out the oldest
// unsent row of each conversation, so replies leave in order) and posts each
// to a pool of `workers` threads; different conversations send in parallel.
// It claims a few rows per worker ahead, so one claim (a write) feeds many
// sends. A sent row's mark is handed to the store without waiting, so the
// marks of many sends share one commit; the row's slot frees when its mark
// is durable (until then it is "sending" and holds its conversation's next
// row back, which keeps the order).
// Each send first asks the channel may_send() (send windows), then send();
// the outcome is recorded: sent, retry later (capped jittered backoff,
// Retry-After honoured), dead letter (permanent, or out of attempts) or
// blocked (the channel refused to send now, with its reason). The row id is
// the idempotency key the plugin receives.
// notify() may be called from any thread; start/stop from the owner's.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "app/runtime_source.hpp"
#include "outbox/backoff.hpp"
#include "store/store.hpp"

namespace switchboard::outbox {

enum class SendResult { Sent, Retried, Dead, Blocked };
const char* to_string(SendResult result);

class OutboxDispatcher {
 public:
  using Observer = std::function<void(const std::string& inbox, SendResult result)>;
  using Clock = std::function<store::Millis()>;

  OutboxDispatcher(app::RuntimeSource& runtimes, store::Store& store, std::size_t workers, BackoffPolicy policy,
                   Observer observer);
  ~OutboxDispatcher();

  // Told of every sent row the channel's may_send reported billable
  // (set_result {"billable": true}); set before start().
  using BillableObserver = std::function<void(const std::string& inbox)>;
  void on_billable(BillableObserver observer) { billable_observer_ = std::move(observer); }

  void start();
  void notify();  // rows were added
  void stop();    // no more claims; sends in flight finish, claimed rows not yet sent stay for the next start-up

 private:
  void schedule_loop();
  void deliver(const store::OutboxRow& row);
  // nullopt: sent, settled once its mark commits.
  std::optional<SendResult> attempt(const store::OutboxRow& row);
  void mark_sent(const store::OutboxRow& row, const std::string& platform_message_id);
  void settle(const std::string& inbox, SendResult result);  // a claimed row is done
  void release();                                            // frees a claimed row's slot
  SendResult retry_or_die(const store::OutboxRow& row, const std::string& reason, int64_t retry_after_ms);
  void record_billable(const store::OutboxRow& row, const nlohmann::json& check);

  app::RuntimeSource& runtimes_;
  store::Store& store_;
  std::size_t workers_;
  BackoffPolicy policy_;
  Observer observer_;
  BillableObserver billable_observer_;
  boost::asio::thread_pool pool_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable settled_;  // stop(): in_flight_ reached 0
  bool pending_ = true;
  bool stopping_ = false;
  std::size_t in_flight_ = 0;  // claimed rows not settled
  std::mt19937_64 rng_{std::random_device{}()};
  std::thread scheduler_;
};

}  // namespace switchboard::outbox
