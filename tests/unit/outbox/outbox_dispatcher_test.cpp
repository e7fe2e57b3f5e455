// The outbox against a real SQLite file and a real channel plugin
// (fixture_channel): order per conversation, retries honouring Retry-After,
// dead letters and blocked sends with their reasons, idempotency keys.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/runtime_source.hpp"
#include "outbox/outbox_dispatcher.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace switchboard;

namespace {

class OutboxFixture {
 public:
  OutboxFixture() {
    static int n = 0;
    dir_ = fs::temp_directory_path() / ("sb_outbox_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "cfg.json") << R"({
      "service": { "plugin_dirs": [")" + (fs::path(SWITCHBOARD_TEST_PLUGIN_DIR) / "good").string() +
                                            R"("] },
      "inboxes": [ { "id": "web", "channel": { "plugin": "fixture_channel", "config": { "log": ")" +
                                            (dir_ / "sends.log").string() + R"(" } }, "pipeline": "main" } ],
      "pipelines": { "main": { "steps": [ { "plugin": "reply", "config": { "text": "x" } } ] } } })";
    auto runtime = app::Runtime::load(dir_ / "cfg.json", SWITCHBOARD_BINARY, app::Runtime::Parts::Everything);
    runtime->start();
    runtimes.replace(std::move(runtime));
    store = store::open_sqlite_store(dir_ / "switchboard.db");
  }
  ~OutboxFixture() {
    dispatcher.reset();
    store.reset();
    runtimes.replace(nullptr);
    fs::remove_all(dir_);
  }

  // Queues replies for `user` as one processed run.
  void queue(const std::string& user, const std::vector<std::string>& texts) {
    store::InboundEvent event{"web", "in-" + std::to_string(++events_), user, "{}", 1};
    auto id = store->ingest({event})[0].event_id;
    auto ctx = store->open_conversation("web", {{"id", user}}, 1);
    store::RunCommit run;
    run.event_id = id;
    run.conversation_id = ctx.conversation.id;
    for (const auto& t : texts) run.outbox.push_back({json{{"text", t}, {"recipient", {{"id", user}}}}.dump(), "bot"});
    run.decision_json = "{}";
    store->commit_run(run);
  }

  void start(int64_t max_attempts = 5) {
    dispatcher =
        std::make_unique<outbox::OutboxDispatcher>(runtimes, *store, 4, outbox::BackoffPolicy{20, 100, max_attempts},
                                                   [this](const std::string&, outbox::SendResult r) {
                                                     std::lock_guard<std::mutex> lock(mutex_);
                                                     results.push_back(r);
                                                   });
    if (on_billable) dispatcher->on_billable(on_billable);
    dispatcher->start();
  }

  // Waits until every row is final: sent, dead or blocked (or a deadline passes).
  bool drained() {
    for (int i = 0; i < 300; ++i) {
      auto open = query("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending', 'retrying')");
      if (open == std::vector<std::string>{"0"}) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  std::vector<std::string> sends() {
    std::vector<std::string> lines;
    std::ifstream in(dir_ / "sends.log");
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  // Status, error code and error of each outbox row, via a plain connection.
  std::vector<std::tuple<std::string, std::string, std::string>> rows() {
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    for (const auto& line : query("SELECT status || '|' || ifnull(error_code,'') || '|' || ifnull(last_error,'') "
                                  "FROM outbox ORDER BY id")) {
      auto a = line.find('|'), b = line.find('|', a + 1);
      out.emplace_back(line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1));
    }
    return out;
  }

  std::vector<std::string> query(const std::string& sql) {
    std::string cmd = "sqlite3 " + (dir_ / "switchboard.db").string() + " \"" + sql + "\"";
    std::vector<std::string> lines;
    FILE* pipe = ::popen(cmd.c_str(), "r");
    char buf[4096];
    while (pipe && fgets(buf, sizeof buf, pipe)) {
      std::string line(buf);
      if (!line.empty() && line.back() == '\n') line.pop_back();
      lines.push_back(line);
    }
    if (pipe) ::pclose(pipe);
    return lines;
  }

  app::RuntimeSource runtimes;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<outbox::OutboxDispatcher> dispatcher;
  std::vector<outbox::SendResult> results;
  outbox::OutboxDispatcher::BillableObserver on_billable;

 private:
  fs::path dir_;
  int events_ = 0;
  std::mutex mutex_;
};

}  // namespace

TEST_CASE("replies of one conversation are sent in order, each with its row id as idempotency key") {
  OutboxFixture f;
  f.queue("u1", {"one", "two", "three"});
  f.start();
  REQUIRE(f.drained());
  CHECK(f.sends() == std::vector<std::string>{"1 one", "2 two", "3 three"});
  for (const auto& [status, code, error] : f.rows()) CHECK(status == "sent");
  CHECK(f.query("SELECT platform_message_id FROM outbox WHERE id = 2") == std::vector<std::string>{"p-2"});
}

TEST_CASE("a transient failure is retried after Retry-After and holds back the rows behind it") {
  OutboxFixture f;
  f.queue("u1", {"later:a", "b"});
  f.start();
  REQUIRE(f.drained());
  CHECK(f.sends() == std::vector<std::string>{"1 later:a", "1 later:a", "2 b"});
  CHECK(f.query("SELECT attempts FROM outbox ORDER BY id") == std::vector<std::string>{"2", "1"});
}

TEST_CASE("a permanent failure becomes a dead letter with the platform's code and reason; followers go on") {
  OutboxFixture f;
  f.queue("u1", {"fail:x", "after"});
  f.start();
  REQUIRE(f.drained());
  auto rows = f.rows();
  CHECK(rows[0] ==
        std::make_tuple(std::string("dead"), std::string("user_blocked"), std::string("the user blocked the page")));
  CHECK(std::get<0>(rows[1]) == "sent");
  CHECK(f.query("SELECT count(*) FROM dead_letters") == std::vector<std::string>{"1"});
}

TEST_CASE("the channel's may_send refusal blocks the send with its reason and never calls send") {
  OutboxFixture f;
  f.queue("u1", {"block:promo"});
  f.start();
  REQUIRE(f.drained());
  CHECK(f.sends().empty());
  CHECK(f.rows()[0] == std::make_tuple(std::string("blocked"), std::string("window_closed"),
                                       std::string("reply window closed 8 days ago")));
}

TEST_CASE("a row that keeps failing transiently is dead-lettered after max attempts") {
  OutboxFixture f;
  f.queue("u1", {"flaky:99:x"});
  f.start(3);
  REQUIRE(f.drained());
  CHECK(f.sends().size() == 3);
  auto rows = f.rows();
  CHECK(std::get<0>(rows[0]) == "dead");
  CHECK(std::get<1>(rows[0]) == "gave_up");
  CHECK(std::get<2>(rows[0]).find("gave up after 3 attempts: 503 from platform") != std::string::npos);
}

TEST_CASE("conversations do not wait for each other") {
  OutboxFixture f;
  f.queue("u1", {"flaky:2:slow"});
  f.queue("u2", {"fast"});
  f.start();
  REQUIRE(f.drained());
  auto sends = f.sends();
  REQUIRE(sends.size() == 4);
  // u2's reply went out while u1's head was waiting for its retry.
  CHECK(std::find(sends.begin(), sends.end(), "2 fast") < sends.end() - 1);
}

TEST_CASE("a send the channel reports billable is sent, noted in the decision log and counted") {
  OutboxFixture f;
  std::atomic<int> billable{0};
  std::string inbox;
  f.on_billable = [&](const std::string& name) {
    inbox = name;
    ++billable;
  };
  f.queue("u1", {"billable:late reply", "free reply"});
  f.start();
  REQUIRE(f.drained());
  for (const auto& [status, code, error] : f.rows()) CHECK(status == "sent");
  CHECK(f.query("SELECT count(*) FROM decision_log WHERE decision_json LIKE '%billable send%'") ==
        std::vector<std::string>{"1"});
  CHECK(billable == 1);
  CHECK(inbox == "web");
}
