// Group commit: batching, savepoint isolation of failing tasks, and the
// order "commit, then answer" that makes an acknowledged write durable.
#include "store/sqlite/group_committer.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "log/logger.hpp"
#include "log/thread_name.hpp"

namespace switchboard::store::sqlite {

GroupCommitter::GroupCommitter(std::unique_ptr<SqliteConnection> connection, std::size_t max_batch,
                               std::chrono::milliseconds share_interval)
    : connection_(std::move(connection)),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      share_interval_(share_interval),
      thread_([this] { loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  // Fold the WAL into the main file so a cleanly closed database is one file.
  try {
    connection_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (const std::exception&) {
    // Another connection still reads; the WAL stays and is replayed on open.
  }
}

void GroupCommitter::run(Work work) {
  if (std::this_thread::get_id() == thread_.get_id()) {
    throw std::logic_error("a store write cannot wait for another write from inside the writer thread");
  }
  // Shared with the callback: the writer may still be inside set_value()
  // when get() returns here.
  auto committed = std::make_shared<std::promise<void>>();
  std::future<void> done = committed->get_future();
  enqueue(queue_, Task{std::move(work), [committed](std::exception_ptr error) {
                         if (error) {
                           committed->set_exception(error);
                         } else {
                           committed->set_value();
                         }
                       }});
  done.get();
}

void GroupCommitter::submit(Work work, Done done, Priority priority) {
  std::deque<Task>& queue = priority == Priority::Urgent   ? urgent_
                            : priority == Priority::Prompt ? queue_
                                                           : background_;
  enqueue(queue, Task{std::move(work), std::move(done)});
}

void GroupCommitter::enqueue(std::deque<Task>& queue, Task task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) throw std::runtime_error("store is closing: write refused");
    queue.push_back(std::move(task));
    if (&queue == &urgent_) preempting_.store(urgent_.size(), std::memory_order_relaxed);
  }
  wake_.notify_one();
}

std::size_t GroupCommitter::queue_depth() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return urgent_.size() + queue_.size() + background_.size();
}

void GroupCommitter::loop() {
  log::name_this_thread("sb-writer");
  for (;;) {
    Batch batch = take_batch();
    if (batch.tasks.empty()) return;  // stopping, and the queue is drained
    commit_batch(batch);
  }
}

GroupCommitter::Batch GroupCommitter::take_batch() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !urgent_.empty() || !queue_.empty() || !background_.empty(); });
    Batch batch;
    auto now = Clock::now();
    if (!urgent_.empty()) {
      last_webhook_ = now;
      take(batch, urgent_, std::min(urgent_.size(), max_batch_));
      if (share_due(now)) take_share(batch);
      return batch;
    }
    bool flooding = !stopping_ && now - last_webhook_ < share_interval_;
    if (!flooding) {
      take(batch, queue_, std::min(queue_.size(), max_batch_));
      batch.callers = batch.tasks.size();
      std::size_t room = max_batch_ - batch.callers;
      if (batch.callers > 0) room = std::min(room, kBackgroundBesideCallers);
      take(batch, background_, std::min(background_.size(), room));
      batch.can_cut = true;
      return batch;
    }
    // Webhooks came moments ago and more are on their way: the rest keeps
    // its share, and the writer waits for them or for the next share.
    if (share_due(now)) {
      take_share(batch);
      return batch;
    }
    wake_.wait_until(lock, next_share_, [this] { return stopping_ || !urgent_.empty(); });
  }
}

bool GroupCommitter::share_due(Clock::time_point now) {
  if (queue_.empty() && background_.empty()) return false;
  if (stopping_) return true;  // draining: no interval to keep
  if (now < next_share_) return false;
  next_share_ = now + share_interval_;
  return true;
}

void GroupCommitter::take_share(Batch& batch) {
  take(batch, queue_, std::min(queue_.size(), std::min(max_batch_ - batch.tasks.size(), kBackgroundBesideCallers)));
  batch.callers = batch.tasks.size();
  take(batch, background_, std::min({background_.size(), max_batch_ - batch.tasks.size(), kBackgroundBesideWebhooks}));
}

void GroupCommitter::take(Batch& batch, std::deque<Task>& from, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    batch.tasks.push_back(std::move(from.front()));
    from.pop_front();
  }
  if (&from == &urgent_) preempting_.store(urgent_.size(), std::memory_order_relaxed);
}

void GroupCommitter::give_back(std::vector<Task>& batch, std::size_t from) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::size_t i = batch.size(); i > from; --i) background_.push_front(std::move(batch[i - 1]));
  batch.resize(from);
}

void GroupCommitter::commit_batch(Batch& taken) {
  std::vector<Task>& batch = taken.tasks;
  std::vector<std::exception_ptr> own_errors(batch.size());
  std::exception_ptr batch_error;
  try {
    connection_->prepare("BEGIN IMMEDIATE").run();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // A webhook started waiting: commit what ran so far (at least one
      // background task, so background work always moves) and answer it in
      // the next batch instead of after the whole background train.
      if (taken.can_cut && i > taken.callers && preempting_.load(std::memory_order_relaxed) > 0) {
        give_back(batch, i);
        own_errors.resize(i);
        break;
      }
      own_errors[i] = run_in_savepoint(batch[i].work);
      // Some errors (I/O, disk full) make SQLite roll back the whole
      // transaction: the tasks before this one are gone too.
      if (own_errors[i] && !connection_->in_transaction()) {
        throw std::runtime_error("write transaction rolled back by SQLite, nothing of this batch committed: " +
                                 log::describe(own_errors[i]));
      }
    }
    connection_->prepare("COMMIT").run();
  } catch (...) {
    batch_error = std::current_exception();
    abandon_transaction();
  }

  // Counted before anyone is answered: a caller that returns sees its commit.
  if (!batch_error) {
    std::size_t failed = 0;
    for (const auto& error : own_errors) failed += error ? 1 : 0;
    committed_tasks_ += batch.size() - failed;
    ++commits_;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    tell(batch[i], own_errors[i] ? own_errors[i] : batch_error);
  }
}

void GroupCommitter::tell(Task& task, std::exception_ptr error) noexcept {
  try {
    task.done(error);
  } catch (...) {
    // A callback broke its promise not to throw; the writer must go on.
    log::error("store", "a write's completion callback threw: " + log::describe(std::current_exception()));
  }
}

std::exception_ptr GroupCommitter::run_in_savepoint(Work& work) {
  connection_->prepare("SAVEPOINT task").run();
  try {
    work(*connection_);
    connection_->reset_statements();
    connection_->prepare("RELEASE task").run();
    return nullptr;
  } catch (...) {
    std::exception_ptr error = std::current_exception();
    connection_->reset_statements();
    if (connection_->in_transaction()) {
      connection_->prepare("ROLLBACK TO task").run();
      connection_->prepare("RELEASE task").run();
    }
    return error;
  }
}

void GroupCommitter::abandon_transaction() noexcept {
  try {
    connection_->reset_statements();
    if (connection_->in_transaction()) connection_->exec("ROLLBACK");
  } catch (...) {
    // Nothing more to do: SQLite rolls back an open transaction on close,
    // and the next BEGIN fails loudly if the connection is unusable.
  }
}

}  // namespace switchboard::store::sqlite
