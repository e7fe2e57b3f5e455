// The single writer: group commit, per-task rollback, the batch cap and
// draining on shutdown. A "gate" task holds the writer inside a transaction
// so that the writes queued meanwhile are known to form the next batch.
#include "store/sqlite/group_committer.hpp"
#include "store/sqlite/sqlite_error.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "log/logger.hpp"
#include "store_test_support.hpp"

namespace switchboard::store::testing {
namespace {

using sqlite::GroupCommitter;
using sqlite::SqliteConnection;

std::unique_ptr<GroupCommitter> committer_for(
    const TempDir& dir, std::size_t max_batch = 512,
    std::chrono::milliseconds share_interval = GroupCommitter::kShareInterval) {
  auto connection = std::make_unique<SqliteConnection>(dir.db(), sqlite::ConnectionRole::Writer);
  connection->exec("CREATE TABLE IF NOT EXISTS items(name TEXT PRIMARY KEY)");
  return std::make_unique<GroupCommitter>(std::move(connection), max_batch, share_interval);
}

void insert_item(SqliteConnection& c, const std::string& name) {
  c.prepare("INSERT INTO items(name) VALUES (?1)").bind_all(name).run();
}

// Holds the writer thread inside a transaction until open() is called.
class Gate {
 public:
  explicit Gate(GroupCommitter& committer) {
    std::shared_future<void> opened = open_.get_future().share();
    thread_ = std::thread([&committer, opened, this] {
      committer.run([opened, this](SqliteConnection&) {
        entered_ = true;
        opened.wait();
      });
    });
    REQUIRE(eventually([this] { return entered_.load(); }));
  }
  ~Gate() {
    if (thread_.joinable()) open();
  }
  void open() {
    open_.set_value();
    thread_.join();
  }

 private:
  std::promise<void> open_;
  std::atomic<bool> entered_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("writes queued while the writer is busy commit together in one transaction") {
  TempDir dir;
  auto committer = committer_for(dir);
  uint64_t before = committer->commit_count();
  std::vector<std::thread> writers;
  {
    Gate gate(*committer);
    for (int i = 0; i < 20; ++i) {
      writers.emplace_back([&, i] { committer->run([i](SqliteConnection& c) { insert_item(c, std::to_string(i)); }); });
    }
    REQUIRE(eventually([&] { return committer->queue_depth() == 20; }));
  }
  for (auto& t : writers) t.join();
  CHECK(committer->commit_count() - before == 2);  // the gate's transaction, then all twenty
  committer.reset();
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM items") == 20);
}

TEST_CASE("a write that throws is rolled back alone; the rest of its batch commits") {
  TempDir dir;
  auto committer = committer_for(dir);
  std::vector<std::future<void>> results;
  {
    Gate gate(*committer);
    for (int i = 0; i < 5; ++i) {
      results.push_back(std::async(std::launch::async, [&, i] {
        committer->run([i](SqliteConnection& c) {
          insert_item(c, "item-" + std::to_string(i));
          if (i == 2) throw std::runtime_error("task 2 fails after writing");
        });
      }));
    }
    // A constraint violation inside SQLite is isolated the same way.
    results.push_back(std::async(std::launch::async, [&] {
      committer->run([](SqliteConnection& c) {
        insert_item(c, "dup");
        insert_item(c, "dup");
      });
    }));
    REQUIRE(eventually([&] { return committer->queue_depth() == 6; }));
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    CAPTURE(i);
    if (i == 2) {
      CHECK_THROWS_WITH(results[i].get(), "task 2 fails after writing");
    } else if (i == 5) {
      CHECK_THROWS_AS(results[i].get(), sqlite::SqliteError);
    } else {
      CHECK_NOTHROW(results[i].get());
    }
  }
  committer.reset();
  RawDb raw(dir.db());
  CHECK(raw.column("SELECT name FROM items ORDER BY name") ==
        std::vector<std::string>{"item-0", "item-1", "item-3", "item-4"});
}

TEST_CASE("a batch is capped: writes beyond the cap go to the next transaction") {
  TempDir dir;
  auto committer = committer_for(dir, 4);
  uint64_t before = committer->commit_count();
  std::vector<std::thread> writers;
  {
    Gate gate(*committer);
    for (int i = 0; i < 10; ++i) {
      writers.emplace_back([&, i] { committer->run([i](SqliteConnection& c) { insert_item(c, std::to_string(i)); }); });
    }
    REQUIRE(eventually([&] { return committer->queue_depth() == 10; }));
  }
  for (auto& t : writers) t.join();
  CHECK(committer->commit_count() - before == 1 + 3);  // gate, then 4 + 4 + 2
  CHECK(committer->committed_tasks() == 11);
}

TEST_CASE("a write returns its result only after its transaction committed") {
  TempDir dir;
  auto committer = committer_for(dir);
  int64_t id = committer->call([](SqliteConnection& c) {
    insert_item(c, "x");
    return c.last_insert_rowid();
  });
  CHECK(id == 1);
  // Visible to an independent connection the moment call() returned.
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM items") == 1);
}

TEST_CASE("destroying the committer commits every write still queued") {
  TempDir dir;
  auto committer = committer_for(dir);
  std::vector<std::future<void>> results;
  std::thread closer;
  {
    Gate gate(*committer);
    for (int i = 0; i < 8; ++i) {
      results.push_back(std::async(std::launch::async, [&, i] {
        committer->run([i](SqliteConnection& c) { insert_item(c, std::to_string(i)); });
      }));
    }
    REQUIRE(eventually([&] { return committer->queue_depth() == 8; }));
    closer = std::thread([&] { committer.reset(); });  // blocks until drained
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  closer.join();
  for (auto& r : results) CHECK_NOTHROW(r.get());
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM items") == 8);
}

TEST_CASE("a write task that waits for another write is refused instead of deadlocking") {
  TempDir dir;
  auto committer = committer_for(dir);
  CHECK_THROWS_AS(committer->run([&](SqliteConnection&) { committer->run([](SqliteConnection&) {}); }),
                  std::logic_error);
}

TEST_CASE("a submitted write is told after its commit; one that throws is told its error and rolled back alone") {
  TempDir dir;
  auto committer = committer_for(dir);
  RawDb reader(dir.db());
  std::mutex mutex;
  std::map<std::string, bool> visible_when_told;  // name -> the row was committed when done() ran
  std::map<std::string, std::string> errors;
  auto told = [&](const std::string& name) {
    return [&, name](std::exception_ptr error) {
      std::lock_guard<std::mutex> lock(mutex);
      visible_when_told[name] = reader.integer("SELECT COUNT(*) FROM items WHERE name = '" + name + "'") == 1;
      if (error) errors[name] = log::describe(error);
    };
  };
  {
    Gate gate(*committer);
    committer->submit([](SqliteConnection& c) { insert_item(c, "a"); }, told("a"));
    committer->submit(
        [](SqliteConnection& c) {
          insert_item(c, "broken");
          throw std::runtime_error("the run failed");
        },
        told("broken"));
    committer->submit([](SqliteConnection& c) { insert_item(c, "b"); }, told("b"));
  }
  REQUIRE(eventually([&] {
    std::lock_guard<std::mutex> lock(mutex);
    return visible_when_told.size() == 3;
  }));
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(visible_when_told == std::map<std::string, bool>{{"a", true}, {"b", true}, {"broken", false}});
  REQUIRE(errors.size() == 1);
  CHECK(errors["broken"].find("the run failed") != std::string::npos);
}

TEST_CASE("a batch with waiting callers takes only a few submitted writes, so acks do not queue behind them") {
  TempDir dir;
  auto committer = committer_for(dir);
  constexpr std::size_t kSubmitted = GroupCommitter::kBackgroundBesideCallers + 10;
  std::vector<uint64_t> told_in;  // per submitted write: the commit it was part of (written on the writer thread)
  std::thread caller;
  uint64_t caller_commit = 0;
  uint64_t before = committer->commit_count();
  GroupCommitter* writer = committer.get();  // the last callbacks run while reset() destroys it
  {
    Gate gate(*committer);
    for (std::size_t i = 0; i < kSubmitted; ++i) {
      committer->submit([i](SqliteConnection& c) { insert_item(c, "bg" + std::to_string(i)); },
                        [&](std::exception_ptr) { told_in.push_back(writer->commit_count()); });
    }
    caller = std::thread([&] {
      committer->run([](SqliteConnection& c) { insert_item(c, "ack"); });
      caller_commit = committer->commit_count();
    });
    REQUIRE(eventually([&] { return committer->queue_depth() == kSubmitted + 1; }));
  }
  caller.join();
  committer.reset();                   // drains the rest
  CHECK(caller_commit >= before + 2);  // the gate's transaction, then the caller's
  REQUIRE(told_in.size() == kSubmitted);
  std::size_t beside_caller = 0;
  for (uint64_t commit : told_in) beside_caller += commit == before + 2 ? 1 : 0;
  CHECK(beside_caller == GroupCommitter::kBackgroundBesideCallers);
  CHECK(told_in.back() == before + 3);  // the rest in the next transaction
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM items") == static_cast<int64_t>(kSubmitted + 1));
}

TEST_CASE("a waiting webhook takes only kBackgroundBesideWebhooks submitted writes into its batch") {
  TempDir dir;
  auto committer = committer_for(dir);
  constexpr std::size_t kSubmitted = GroupCommitter::kBackgroundBesideCallers + 10;
  std::vector<uint64_t> told_in;  // written on the writer thread
  uint64_t acked_in = 0;
  uint64_t before = committer->commit_count();
  GroupCommitter* writer = committer.get();
  {
    Gate gate(*committer);
    for (std::size_t i = 0; i < kSubmitted; ++i) {
      committer->submit([i](SqliteConnection& c) { insert_item(c, "bg" + std::to_string(i)); },
                        [&](std::exception_ptr) { told_in.push_back(writer->commit_count()); });
    }
    committer->submit([](SqliteConnection& c) { insert_item(c, "ack"); },
                      [&](std::exception_ptr) { acked_in = writer->commit_count(); }, GroupCommitter::Priority::Urgent);
    REQUIRE(eventually([&] { return committer->queue_depth() == kSubmitted + 1; }));
  }
  committer.reset();
  CHECK(acked_in == before + 2);  // right after the gate's transaction
  std::size_t beside = 0;
  for (uint64_t commit : told_in) beside += commit == before + 2 ? 1 : 0;
  CHECK(beside == GroupCommitter::kBackgroundBesideWebhooks);
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM items") == static_cast<int64_t>(kSubmitted + 1));
}

TEST_CASE("while webhooks keep coming, other writes are committed once per interval") {
  TempDir dir;
  // Long enough that the three webhooks below are committed well inside
  // one interval even where an fsync takes tens of milliseconds, short
  // enough for the rest to follow soon after.
  auto committer = committer_for(dir, 512, std::chrono::seconds(2));
  constexpr std::size_t kSubmitted = GroupCommitter::kBackgroundBesideWebhooks + 10;
  std::vector<uint64_t> background_in;  // all written on the writer thread
  std::vector<uint64_t> acks_in;
  uint64_t prompt_in = 0;
  std::atomic<std::size_t> told{0};  // callbacks run so far; read by this thread
  uint64_t before = committer->commit_count();
  GroupCommitter* writer = committer.get();
  // Each ack's callback queues the next webhook, as a busy front would:
  // there is always one waiting when the writer takes its next batch.
  std::function<void(int)> webhook = [&](int left) {
    writer->submit([left](SqliteConnection& c) { insert_item(c, "ack" + std::to_string(left)); },
                   [&, left](std::exception_ptr) {
                     acks_in.push_back(writer->commit_count());
                     ++told;
                     if (left > 1) webhook(left - 1);
                     if (left == 3) {  // an outbox mark starts waiting too
                       writer->submit([](SqliteConnection& c) { insert_item(c, "prompt"); },
                                      [&](std::exception_ptr) {
                                        prompt_in = writer->commit_count();
                                        ++told;
                                      },
                                      GroupCommitter::Priority::Prompt);
                     }
                   },
                   GroupCommitter::Priority::Urgent);
  };
  {
    Gate gate(*committer);
    for (std::size_t i = 0; i < kSubmitted; ++i) {
      committer->submit([i](SqliteConnection& c) { insert_item(c, "bg" + std::to_string(i)); },
                        [&](std::exception_ptr) {
                          background_in.push_back(writer->commit_count());
                          ++told;
                        });
    }
    webhook(3);
    REQUIRE(eventually([&] { return committer->queue_depth() == kSubmitted + 1; }));
  }
  // Stopping would refuse the webhooks the callbacks still queue: wait first.
  REQUIRE(eventually([&] { return told.load() == kSubmitted + 4; }));
  committer.reset();

  REQUIRE(acks_in.size() == 3);
  CHECK(acks_in[0] == before + 2);  // first after the gate, with the first share of the others
  CHECK(acks_in[1] == before + 3);  // then webhooks alone, one commit each
  CHECK(acks_in[2] == before + 4);
  REQUIRE(background_in.size() == kSubmitted);
  std::size_t with_first_ack = 0;
  for (uint64_t commit : background_in) with_first_ack += commit == before + 2 ? 1 : 0;
  CHECK(with_first_ack == GroupCommitter::kBackgroundBesideWebhooks);
  CHECK(background_in.back() > before + 4);  // the rest in the next interval's share
  CHECK(prompt_in > before + 4);             // a waiting Prompt write too
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM items") == static_cast<int64_t>(kSubmitted + 4));
}

TEST_CASE("a webhook arriving during a long background batch cuts it short and is committed next") {
  TempDir dir;
  auto committer = committer_for(dir);
  constexpr int kBackground = 200;
  std::promise<void> first_started;
  std::shared_future<void> ack_queued_future;
  std::promise<void> ack_queued;
  ack_queued_future = ack_queued.get_future().share();
  std::mutex mutex;
  std::vector<std::string> told;  // completion order
  auto tell = [&](std::string what) {
    std::lock_guard<std::mutex> lock(mutex);
    told.push_back(std::move(what));
  };
  {
    Gate gate(*committer);  // everything below queues up while the writer is held
    for (int i = 0; i < kBackground; ++i) {
      committer->submit(
          [&, i](SqliteConnection& c) {
            insert_item(c, "bg" + std::to_string(i));
            if (i == 0) {
              first_started.set_value();
              ack_queued_future.wait();  // the webhook arrives while this batch runs
            }
          },
          [&, i](std::exception_ptr error) { tell(error ? "error" : "bg" + std::to_string(i)); });
    }
  }
  first_started.get_future().wait();
  committer->submit([](SqliteConnection& c) { insert_item(c, "ack"); },
                    [&](std::exception_ptr error) { tell(error ? "error" : "ack"); }, GroupCommitter::Priority::Urgent);
  ack_queued.set_value();
  committer.reset();

  REQUIRE(told.size() == static_cast<std::size_t>(kBackground + 1));
  auto ack = std::find(told.begin(), told.end(), "ack");
  REQUIRE(ack != told.end());
  // Only the background write that was running (and at most the few that
  // fit beside the webhook) were answered before it; the rest came after.
  CHECK(ack - told.begin() <= static_cast<std::ptrdiff_t>(1 + GroupCommitter::kBackgroundBesideWebhooks));
  CHECK(std::find(told.begin(), told.end(), "error") == told.end());
  CHECK(told.back() == "bg" + std::to_string(kBackground - 1));  // background order kept
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM items") == kBackground + 1);
}

}  // namespace switchboard::store::testing
