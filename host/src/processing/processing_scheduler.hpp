// Reads the inbound log and runs each event in the right lane: events of one
// sender in one inbox (hence of each of its conversations) always go to the
// same lane, and a lane starts its next event only once the previous one's
// run has committed, so a sender's events are processed one at a time in log
// order and each sees everything the one before it wrote. The key is the
// sender, not the conversation, on purpose: which conversation an email joins
// is decided while processing it (its thread), so keying on the thread could
// put two events of one conversation in two lanes; one sender's threads run
// one after another instead, which also keeps that sender's contact and
// identity updates in order. Different lanes run in parallel on the worker
// pool, and since a worker hands a run to the store's writer without waiting
// for it, the runs of many lanes commit in one group commit (one fsync) while
// the worker goes on to the next lane.
//
// One feeder thread reads unprocessed events in id order (the order they were
// committed), so start-up recovery and live traffic take the same path. It
// keeps a bounded window of events handed to the lanes: a backlog stays in
// the log instead of in memory, and while the window is full a committed
// webhook does not wake the feeder at all.
// notify() may be called from any thread; start/stop from the owner's. Runs
// finish on the store's writer thread (see MessageProcessor::process_async).
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "app/runtime_source.hpp"
#include "processing/message_processor.hpp"

namespace switchboard::processing {

class ProcessingScheduler {
 public:
  using Observer = std::function<void(const ProcessOutcome&, bool ok)>;

  // `desk` (optional) must outlive the scheduler.
  ProcessingScheduler(app::RuntimeSource& runtimes, store::Store& store, std::size_t workers, Observer observer,
                      DeskLink* desk = nullptr);
  ~ProcessingScheduler();

  void start();   // begins with whatever is unprocessed in the log
  void notify();  // new events were committed
  // No more feeding; runs being committed finish, queued events stay in the
  // log. Returns once no run is in flight.
  void stop();

 private:
  using Event = std::shared_ptr<const store::StoredEvent>;

  // The events of a set of conversations: one runs (or commits) at a time.
  struct Lane {
    std::deque<Event> waiting;
    bool busy = false;
  };

  void feed_loop();
  std::size_t feed_batch();
  void enter_lane(Event event);
  void run(std::size_t lane, const Event& event, std::size_t attempt);
  void settle(std::size_t lane, const Event& event, std::size_t attempt, const ProcessOutcome& outcome,
              std::exception_ptr error);
  void retry_later(std::size_t lane, const Event& event, std::size_t attempt);
  void leave_lane(std::size_t lane);  // the lane's event is done (or dropped by draining)
  std::size_t lane_for(const store::InboundEvent& event) const;

  app::RuntimeSource& runtimes_;
  store::Store& store_;
  MessageProcessor processor_;
  Observer observer_;
  boost::asio::thread_pool pool_;

  std::mutex mutex_;
  std::condition_variable wake_;     // the feeder
  std::condition_variable settled_;  // stop(): in_flight_ reached 0
  std::vector<Lane> lanes_;
  bool pending_ = true;        // the log may hold events not yet read; start() feeds once without being told
  std::size_t in_flight_ = 0;  // events handed to lanes and not finished
  bool stopping_ = false;
  std::atomic<bool> draining_{false};  // read by workers without the mutex
  store::Id last_fed_ = 0;
  std::thread feeder_;
};

}  // namespace switchboard::processing
