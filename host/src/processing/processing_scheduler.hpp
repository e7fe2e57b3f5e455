// Reads the inbound log and runs each event on the right worker: events of
// one sender in one inbox (hence of each of its conversations) always go to
// the same Boost.Asio strand, so they are processed one at a time in log
// order, while different senders run in parallel on the pool. The key is
// the sender, not the conversation, on purpose: which conversation an email
// joins is decided while processing it (its thread), so keying on the thread
// could put two events of one conversation on two strands; one sender's
// threads run one after another instead, which also keeps that sender's
// contact and identity updates in order.
//
// One feeder thread reads unprocessed events in id order (the order they were
// committed), so start-up recovery and live traffic take the same path. It
// keeps a bounded window of events handed to the workers: a backlog stays in
// the log instead of in memory, and while the window is full a committed
// webhook does not wake the feeder at all.
// notify() may be called from any thread; start/stop from the owner's.
#pragma once

#include <atomic>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
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
  void stop();    // no more feeding; the events being processed finish, queued ones stay in the log

 private:
  using Strand = boost::asio::strand<boost::asio::thread_pool::executor_type>;

  void feed_loop();
  std::size_t feed_batch();
  void process(const store::StoredEvent& event);
  void finished();  // one handed-out event is done (or dropped by draining)
  Strand& strand_for(const store::InboundEvent& event);

  app::RuntimeSource& runtimes_;
  store::Store& store_;
  MessageProcessor processor_;
  Observer observer_;
  boost::asio::thread_pool pool_;
  std::vector<Strand> strands_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = true;        // the log may hold events not yet read; start() feeds once without being told
  std::size_t in_flight_ = 0;  // events posted to strands and not finished
  bool stopping_ = false;
  std::atomic<bool> draining_{false};  // read by workers without the mutex
  store::Id last_fed_ = 0;
  std::thread feeder_;
};

}  // namespace switchboard::processing
