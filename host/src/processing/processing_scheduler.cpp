// The feeder and the per-conversation lanes.
#include "processing/processing_scheduler.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "app/background_priority.hpp"
#include "log/logger.hpp"

namespace switchboard::processing {
namespace {

constexpr std::size_t kBatch = 512;
// The feeder reads again only when fewer than this many events are in
// flight, so at most kLowWater - 1 + kBatch events wait in memory.
constexpr std::size_t kLowWater = kBatch;
// Lanes bound how many runs one group commit can hold; many more lanes than
// threads also spread conversations evenly, so a slow one holds back few
// others.
constexpr std::size_t kLanesPerWorker = 256;
// A storage failure while processing is retried in place (the lane waits, so
// the conversation's order holds) after these pauses; then the event is left
// for the next start-up, which processes everything still unprocessed.
constexpr std::chrono::milliseconds kRetryPauses[] = {std::chrono::milliseconds(50), std::chrono::milliseconds(500),
                                                      std::chrono::milliseconds(2000)};

bool already_processed(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const store::EventAlreadyProcessed&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

ProcessingScheduler::ProcessingScheduler(app::RuntimeSource& runtimes, store::Store& store, std::size_t workers,
                                         Observer observer, DeskLink* desk)
    : runtimes_(runtimes),
      store_(store),
      processor_(store, desk),
      observer_(std::move(observer)),
      pool_(workers),
      lanes_(workers * kLanesPerWorker) {}

ProcessingScheduler::~ProcessingScheduler() { stop(); }

void ProcessingScheduler::start() {
  if (feeder_.joinable()) return;
  feeder_ = std::thread([this] {
    app::enter_background_priority("sb-feeder");
    feed_loop();
  });
}

void ProcessingScheduler::notify() {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Already pending means the feeder is reading, or waiting for room in
    // the window, and a lane wakes it then: one webhook, no wake-up.
    wake = !pending_ && in_flight_ < kLowWater;
    pending_ = true;
  }
  if (wake) wake_.notify_one();
}

void ProcessingScheduler::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && !feeder_.joinable()) return;
    stopping_ = true;
  }
  draining_ = true;
  wake_.notify_one();
  if (feeder_.joinable()) feeder_.join();
  {
    // Runs handed to the writer finish there, and their lanes then drop
    // what waits behind them (draining): every lane empties.
    std::unique_lock<std::mutex> lock(mutex_);
    settled_.wait(lock, [this] { return in_flight_ == 0; });
  }
  pool_.join();
}

void ProcessingScheduler::feed_loop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || (pending_ && in_flight_ < kLowWater); });
      if (stopping_) return;
      pending_ = false;
    }
    try {
      if (feed_batch() == kBatch) {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_ = true;  // a full batch: the log likely holds more
      }
    } catch (const std::exception& e) {
      log::error("processing", std::string("reading the inbound log failed: ") + e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      notify();
    }
  }
}

std::size_t ProcessingScheduler::feed_batch() {
  std::vector<store::StoredEvent> events = store_.unprocessed_events_after(last_fed_, kBatch);
  for (auto& event : events) {
    last_fed_ = event.id;
    enter_lane(std::make_shared<const store::StoredEvent>(std::move(event)));
  }
  return events.size();
}

void ProcessingScheduler::enter_lane(Event event) {
  std::size_t lane = lane_for(event->event);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++in_flight_;
    Lane& target = lanes_[lane];
    if (target.busy) {
      target.waiting.push_back(std::move(event));
      return;
    }
    target.busy = true;
  }
  boost::asio::post(pool_, [this, lane, e = std::move(event)] { run(lane, e, 0); });
}

std::size_t ProcessingScheduler::lane_for(const store::InboundEvent& event) const {
  std::size_t h = std::hash<std::string>{}(event.inbox) * 31 + std::hash<std::string>{}(event.sender_id);
  return h % lanes_.size();
}

void ProcessingScheduler::run(std::size_t lane, const Event& event, std::size_t attempt) {
  app::enter_background_priority("sb-pipeline");
  if (draining_) return leave_lane(lane);  // stays unprocessed; the next start-up takes it
  std::shared_ptr<const app::Runtime> runtime = runtimes_.current();
  try {
    processor_.process_async(*runtime, *event,
                             [this, lane, event, attempt](const ProcessOutcome& outcome, std::exception_ptr error) {
                               settle(lane, event, attempt, outcome, error);
                             });
  } catch (...) {
    settle(lane, event, attempt, ProcessOutcome(event->event.inbox), std::current_exception());
  }
}

// Runs on a worker or, for a committed run, on the store's writer thread.
void ProcessingScheduler::settle(std::size_t lane, const Event& event, std::size_t attempt,
                                 const ProcessOutcome& outcome, std::exception_ptr error) {
  if (!error) {
    observer_(outcome, true);
    return leave_lane(lane);
  }
  if (already_processed(error)) return leave_lane(lane);  // someone else committed it: nothing left to do
  bool last = attempt >= std::size(kRetryPauses);
  log::error("processing", "event " + std::to_string(event->id) + " failed: " + log::describe(error) +
                               (last ? "; left for the next start-up" : "; retrying"));
  if (last) {
    observer_(ProcessOutcome(event->event.inbox), false);
    return leave_lane(lane);
  }
  retry_later(lane, event, attempt);
}

void ProcessingScheduler::retry_later(std::size_t lane, const Event& event, std::size_t attempt) {
  // A timer, not a sleep: the other lanes keep the workers.
  auto timer = std::make_shared<boost::asio::steady_timer>(pool_, kRetryPauses[attempt]);
  timer->async_wait(
      [this, lane, event, attempt, timer](const boost::system::error_code&) { run(lane, event, attempt + 1); });
}

void ProcessingScheduler::leave_lane(std::size_t lane) {
  Event next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --in_flight_;
    // Notified under the lock: once in_flight_ can reach 0, stop() may
    // return and this object go right after the unlock.
    if (pending_ && in_flight_ == kLowWater - 1) wake_.notify_one();  // the window just got room
    if (in_flight_ == 0) settled_.notify_all();
    Lane& current = lanes_[lane];
    if (current.waiting.empty()) {
      current.busy = false;
    } else {
      next = std::move(current.waiting.front());
      current.waiting.pop_front();
    }
  }
  if (next) boost::asio::post(pool_, [this, lane, e = std::move(next)] { run(lane, e, 0); });
}

}  // namespace switchboard::processing
