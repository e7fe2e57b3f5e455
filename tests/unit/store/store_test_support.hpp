// Shared by the store tests: a temporary directory per test, a plain sqlite3
// connection to look at the file the way operators and integration tests do
// (the sqlite3 CLI), event and run builders, and a bounded wait.
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace switchboard::store::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() / ("switchboard-store-test-" + std::to_string(::getpid()) + "-" +
                                                      std::to_string(counter++) + "-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path db() const { return path_ / "switchboard.db"; }

 private:
  std::filesystem::path path_;
};

// A second, independent connection to the file: no code under test involved.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::string message = sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw std::runtime_error("RawDb: " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error != nullptr ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error("RawDb: " + message + " in " + sql);
    }
  }

  // Every row's first column as text ("NULL" for NULL).
  std::vector<std::string> column(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("RawDb: ") + sqlite3_errmsg(db_) + " in " + sql);
    }
    std::vector<std::string> values;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      values.emplace_back(text != nullptr ? text : "NULL");
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("RawDb: ") + sqlite3_errmsg(db_) + " in " + sql);
    return values;
  }

  std::string text(const std::string& sql) {
    std::vector<std::string> values = column(sql);
    if (values.empty()) throw std::runtime_error("RawDb: no row for " + sql);
    return values.front();
  }

  int64_t integer(const std::string& sql) { return std::stoll(text(sql)); }

 private:
  sqlite3* db_ = nullptr;
};

// An inbound event as the api channel would submit it.
inline InboundEvent make_event(const std::string& inbox, const std::string& message_id,
                               const std::string& sender = "user-1", const std::string& text = "xin chào",
                               Millis at = 1'000) {
  InboundEvent event;
  event.inbox = inbox;
  event.channel_message_id = message_id;
  event.sender_id = sender;
  event.payload_json =
      nlohmann::json{{"id", message_id}, {"type", "message"}, {"sender", {{"id", sender}}}, {"text", text}}.dump();
  event.received_at = at;
  return event;
}

inline std::string reply_payload(const std::string& text) { return nlohmann::json{{"text", text}}.dump(); }

// A clock tests move by hand.
struct ManualClock {
  std::shared_ptr<std::atomic<Millis>> now = std::make_shared<std::atomic<Millis>>(1'000'000);
  std::function<Millis()> function() const {
    auto shared = now;
    return [shared] { return shared->load(); };
  }
};

// Waits up to five seconds for `condition`; false if it never held.
inline bool eventually(const std::function<bool()>& condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

// The message of the exception `action` throws ("" if none).
inline std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// One inbound message taken through ingest and open_conversation: what a run
// needs before it can commit.
struct Arrival {
  Id event_id = 0;
  ConversationContext context;
};

inline Arrival arrive(Store& store, const std::string& inbox, const std::string& message_id,
                      const std::string& sender = "user-1", Millis at = 1'000) {
  Arrival arrival;
  arrival.event_id = store.ingest({make_event(inbox, message_id, sender, "hi", at)}).at(0).event_id;
  arrival.context = store.open_conversation(inbox, nlohmann::json{{"id", sender}}, at);
  return arrival;
}

inline RunCommit run_for(const Arrival& arrival) {
  RunCommit run;
  run.event_id = arrival.event_id;
  run.conversation_id = arrival.context.conversation.id;
  run.text = "hi";
  run.decision_json = R"({"decided":"test"})";
  return run;
}

}  // namespace switchboard::store::testing
