// The feeder and the per-conversation strands.
#include "processing/processing_scheduler.hpp"

#include <boost/asio/post.hpp>
#include <chrono>

#include "log/logger.hpp"

namespace switchboard::processing {
namespace {

constexpr std::size_t kBatch = 512;
// The feeder reads again only when fewer than this many events are in
// flight, so at most kLowWater - 1 + kBatch events wait in memory.
constexpr std::size_t kLowWater = kBatch;
// A storage failure while processing is retried in place (keeping the
// conversation's order) after these pauses; then the event is left for the
// next start-up, which processes everything still unprocessed.
constexpr std::chrono::milliseconds kRetryPauses[] = {std::chrono::milliseconds(50), std::chrono::milliseconds(500),
                                                      std::chrono::milliseconds(2000)};

}  // namespace

ProcessingScheduler::ProcessingScheduler(app::RuntimeSource& runtimes, store::Store& store, std::size_t workers,
                                         Observer observer, DeskLink* desk)
    : runtimes_(runtimes), store_(store), processor_(store, desk), observer_(std::move(observer)), pool_(workers) {
  // More strands than threads spreads conversations evenly without letting a
  // slow one hold a whole thread's worth of others.
  for (std::size_t i = 0; i < workers * 8; ++i) strands_.emplace_back(boost::asio::make_strand(pool_.get_executor()));
}

ProcessingScheduler::~ProcessingScheduler() { stop(); }

void ProcessingScheduler::start() {
  if (feeder_.joinable()) return;
  feeder_ = std::thread([this] { feed_loop(); });
}

void ProcessingScheduler::notify() {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Already pending means the feeder is reading, or waiting for room in
    // the window, and a worker wakes it then: one webhook, no wake-up.
    wake = !pending_ && in_flight_ < kLowWater;
    pending_ = true;
  }
  if (wake) wake_.notify_one();
}

void ProcessingScheduler::finished() {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --in_flight_;
    wake = pending_ && in_flight_ == kLowWater - 1;  // the window just got room
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
  pool_.join();  // events already posted run to completion
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
  {
    std::lock_guard<std::mutex> lock(mutex_);
    in_flight_ += events.size();
  }
  for (auto& event : events) {
    last_fed_ = event.id;
    Strand& strand = strand_for(event.event);
    boost::asio::post(strand, [this, e = std::move(event)] {
      process(e);
      finished();
    });
  }
  return events.size();
}

ProcessingScheduler::Strand& ProcessingScheduler::strand_for(const store::InboundEvent& event) {
  std::size_t h = std::hash<std::string>{}(event.inbox) * 31 + std::hash<std::string>{}(event.sender_id);
  return strands_[h % strands_.size()];
}

void ProcessingScheduler::process(const store::StoredEvent& event) {
  if (draining_) return;  // stays unprocessed; the next start-up takes it
  std::shared_ptr<const app::Runtime> runtime = runtimes_.current();
  for (std::size_t attempt = 0;; ++attempt) {
    try {
      ProcessOutcome outcome = processor_.process(*runtime, event);
      observer_(outcome, true);
      return;
    } catch (const store::EventAlreadyProcessed&) {
      return;  // someone else committed it: nothing left to do
    } catch (const std::exception& e) {
      bool last = attempt >= std::size(kRetryPauses);
      log::error("processing", "event " + std::to_string(event.id) + " failed: " + e.what() +
                                   (last ? "; left for the next start-up" : "; retrying"));
      if (last) {
        observer_(ProcessOutcome(event.event.inbox), false);
        return;
      }
      std::this_thread::sleep_for(kRetryPauses[attempt]);
    }
  }
}

}  // namespace switchboard::processing
