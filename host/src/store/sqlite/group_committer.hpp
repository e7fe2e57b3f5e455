// The single writer. One thread owns the write connection; every write is a
// task queued here. The thread takes all queued tasks (up to a cap), runs them
// in ONE transaction — each inside its own savepoint — commits once, and only
// then answers the callers. 64 concurrent webhooks cost one fsync, not 64.
// submit() queues a task without waiting, so one thread can have many tasks
// in the same transaction (the processing runs of many conversations). Such
// background tasks yield to waiting callers: a batch takes every waiting
// caller's task first and then only a few background ones, and a batch of
// background work ends early (committing what ran) as soon as a webhook
// starts waiting, so a webhook's ack never waits behind a long train of
// pipeline runs.
//
// While webhooks flood in (one was taken less than kShareInterval ago), the
// other work is committed once per kShareInterval: up to kBackgroundBesideWebhooks
// pipeline runs and kBackgroundBesideCallers waiting callers, in the next
// webhooks' commit or on their own. What a commit costs is mostly the pages
// it writes and syncs: acknowledgements touch the tail of the inbound log (a
// few pages), a pipeline run or an outbox mark touches conversations,
// messages, outbox and their indexes. Runs trickling one or two into every
// ack commit wrote those pages a thousand times a second; gathered once per
// interval, the writer's CPU per acknowledged webhook fell by about a quarter
// and the acknowledgement rate rose by about a fifth (docs/benchmarks.md,
// "Issue 3, fourth pass"). Callers wait at most one interval longer, and the pipeline
// keeps up to 800 runs a second under a sustained flood: acknowledging comes
// first when the host is overloaded (a slow ack makes Zalo and Messenger
// retry, which adds load), the backlog waits, durable, in the inbound log and
// drains at full speed once the flood ebbs. Measured back to back, 16 runs
// per share took ~1.6k runs/s during a flood and gave p99 7-8 ms; 8 took
// ~1.3k/s, p99 ~7 ms; 4 takes ~700/s with 4-8 % more acks and p99 ~6 ms.
//
// Threads: run()/call() from any thread except the writer itself (a task must
// not wait for another task); submit() from any thread, the writer included.
// Done callbacks run on the writer thread. The destructor must not race with
// run() or submit().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"

namespace switchboard::store::sqlite {

class GroupCommitter {
 public:
  using Work = std::function<void(SqliteConnection&)>;
  // Told the task's fate once its transaction ended: nullptr when it
  // committed, else why nothing of it was written. Must not throw or block.
  using Done = std::function<void(std::exception_ptr)>;

  // Bounds one transaction: a burst of 10,000 writes becomes ~20 commits
  // whose first callers are answered early, instead of one long wait for all.
  static constexpr std::size_t kDefaultMaxBatch = 512;
  // Background tasks in a batch that also answers waiting callers, and in
  // one interval's share while webhooks flood in: a few, so pipeline runs
  // still move under a sustained flood of webhooks.
  static constexpr std::size_t kBackgroundBesideCallers = 32;
  static constexpr std::size_t kBackgroundBesideWebhooks = 4;
  // While webhooks flood in, one commit per interval carries the other work.
  static constexpr std::chrono::milliseconds kShareInterval{5};

  // Takes the (already migrated) writer connection and starts the thread.
  explicit GroupCommitter(std::unique_ptr<SqliteConnection> connection, std::size_t max_batch = kDefaultMaxBatch,
                          std::chrono::milliseconds share_interval = kShareInterval);
  // Stops accepting, runs and commits every queued task, joins the thread,
  // checkpoints the WAL and closes the connection. No task is dropped.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs `work` on the writer thread and returns once the transaction that
  // holds it has committed (it is durable). If `work` throws, its own writes
  // are rolled back (the batch's other tasks still commit) and the exception
  // is rethrown here. If the transaction itself fails, nothing of the batch
  // is committed and every task's caller gets an exception.
  void run(Work work);

  // Who waits for a submitted task, and so where it queues.
  enum class Priority {
    Background,  // nobody: pipeline runs; they yield to the others
    Prompt,      // some internal progress (an outbox slot): queued with run()'s tasks
    Urgent,      // a webhook's acknowledgement: first in every batch, cuts a background batch short
  };

  // run() without waiting: `done` is called on the writer thread after the
  // commit (or the failure). Throws, without calling `done`, when closing.
  void submit(Work work, Done done, Priority priority = Priority::Background);

  // run() for a task with a result: the result is returned after the commit.
  template <class F>
  auto call(F&& work) -> std::invoke_result_t<F&, SqliteConnection&> {
    using Result = std::invoke_result_t<F&, SqliteConnection&>;
    if constexpr (std::is_void_v<Result>) {
      run([&work](SqliteConnection& connection) { work(connection); });
    } else {
      std::optional<Result> result;
      run([&work, &result](SqliteConnection& connection) { result.emplace(work(connection)); });
      return std::move(*result);
    }
  }

  uint64_t commit_count() const { return commits_.load(); }             // transactions committed
  uint64_t committed_tasks() const { return committed_tasks_.load(); }  // tasks in them
  std::size_t queue_depth() const;                                      // queued, not yet taken by the writer

 private:
  using Clock = std::chrono::steady_clock;

  struct Task {
    Work work;
    Done done;
  };

  struct Batch {
    std::vector<Task> tasks;  // urgent first, then callers, then background
    std::size_t callers = 0;  // how many came from urgent_ and queue_
    bool can_cut = false;     // a batch without webhooks ends early when one arrives
  };

  void loop();
  Batch take_batch();
  void give_back(std::vector<Task>& batch, std::size_t from);  // tasks [from, end) return to the queue's front
  void enqueue(std::deque<Task>& queue, Task task);
  void take(Batch& batch, std::deque<Task>& from, std::size_t n);
  bool share_due(Clock::time_point now);  // under mutex_; starts the next interval when true
  void take_share(Batch& batch);          // under mutex_: the callers and background tasks of one interval
  void commit_batch(Batch& batch);
  std::exception_ptr run_in_savepoint(Work& work);
  void abandon_transaction() noexcept;
  static void tell(Task& task, std::exception_ptr error) noexcept;

  std::unique_ptr<SqliteConnection> connection_;
  const std::size_t max_batch_;
  const std::chrono::milliseconds share_interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> urgent_;                 // Urgent submits: webhooks wait for their ack
  std::deque<Task> queue_;                  // run() and Prompt submits: someone waits
  std::deque<Task> background_;             // Background submits
  std::atomic<std::size_t> preempting_{0};  // urgent_.size(); the writer reads it without the lock
  Clock::time_point last_webhook_{};        // when the writer last took a webhook's task
  Clock::time_point next_share_{};          // when other work may next be committed while webhooks flood
  bool stopping_ = false;
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> committed_tasks_{0};
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace switchboard::store::sqlite
