// The single writer: group commit, per-task rollback, the batch cap and
// draining on shutdown. A "gate" task holds the writer inside a transaction
// so that the writes queued meanwhile are known to form the next batch.
#include "store/sqlite/group_committer.hpp"
#include "store/sqlite/sqlite_error.hpp"

#include <doctest/doctest.h>

#include <future>

#include "store_test_support.hpp"

namespace switchboard::store::testing {
namespace {

using sqlite::GroupCommitter;
using sqlite::SqliteConnection;

std::unique_ptr<GroupCommitter> committer_for(const TempDir& dir, std::size_t max_batch = 512) {
  auto connection = std::make_unique<SqliteConnection>(dir.db(), sqlite::ConnectionRole::Writer);
  connection->exec("CREATE TABLE IF NOT EXISTS items(name TEXT PRIMARY KEY)");
  return std::make_unique<GroupCommitter>(std::move(connection), max_batch);
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

}  // namespace switchboard::store::testing
