// The single writer. One thread owns the write connection; every write is a
// task queued here. The thread takes all queued tasks (up to a cap), runs them
// in ONE transaction — each inside its own savepoint — commits once, and only
// then answers the callers. 64 concurrent webhooks cost one fsync, not 64.
// submit() queues a task without waiting, so one thread can have many tasks
// in the same transaction (the processing runs of many conversations). Such
// background tasks yield to waiting callers: a batch takes every waiting
// caller's task first and then only a few background ones, so a webhook's
// ack never waits behind a long train of pipeline runs.
//
// Threads: run()/call() from any thread except the writer itself (a task must
// not wait for another task); submit() from any thread, the writer included.
// Done callbacks run on the writer thread. The destructor must not race with
// run() or submit().
#pragma once

#include <atomic>
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
  // Background tasks in a batch that also answers waiting callers.
  static constexpr std::size_t kBackgroundBesideCallers = 32;

  // Takes the (already migrated) writer connection and starts the thread.
  explicit GroupCommitter(std::unique_ptr<SqliteConnection> connection, std::size_t max_batch = kDefaultMaxBatch);
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

  // run() without waiting: `done` is called on the writer thread after the
  // commit (or the failure). Throws, without calling `done`, when closing.
  void submit(Work work, Done done);

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
  struct Task {
    Work work;
    Done done;
  };

  void loop();
  std::vector<Task> take_batch();
  void enqueue(std::deque<Task>& queue, Task task);
  void commit_batch(std::vector<Task>& batch);
  std::exception_ptr run_in_savepoint(Work& work);
  void abandon_transaction() noexcept;
  static void tell(Task& task, std::exception_ptr error) noexcept;

  std::unique_ptr<SqliteConnection> connection_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;       // run(): a caller waits
  std::deque<Task> background_;  // submit()
  bool stopping_ = false;
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> committed_tasks_{0};
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace switchboard::store::sqlite
