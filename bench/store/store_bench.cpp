// Durable ingest throughput of the SQLite store. One iteration is one webhook:
// one event ingested and acknowledged after its commit (WAL, synchronous=FULL)
// from 1, 8 or 64 threads sharing one store; group commit is what lets the
// rate grow with concurrency. A single-thread 64-event batch is the ceiling.
// The database lives in SWITCHBOARD_BENCH_DIR or the system temp directory:
// put it on the disk you want to measure (tmpfs fsyncs cost nothing).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite/sqlite_store.hpp"

namespace {

using switchboard::store::InboundEvent;
using switchboard::store::SqliteStore;

std::filesystem::path g_dir;
std::unique_ptr<SqliteStore> g_store;
std::atomic<int64_t> g_next{0};

InboundEvent next_event() {
  int64_t n = g_next++;
  InboundEvent event;
  event.inbox = "api";
  event.channel_message_id = "m" + std::to_string(n);
  event.sender_id = "user-" + std::to_string(n % 500);
  event.payload_json = R"({"id":"m)" + std::to_string(n) + R"(","type":"message","sender":{"id":"user-)" +
                       std::to_string(n % 500) + R"("},"text":"Cho em hỏi lịch khám bác sĩ ngày mai ạ"})";
  event.received_at = 1'700'000'000'000 + n;
  return event;
}

void open_store(const benchmark::State&) {
  const char* base = std::getenv("SWITCHBOARD_BENCH_DIR");
  g_dir = std::filesystem::path(base != nullptr ? base : std::filesystem::temp_directory_path().string()) /
          ("switchboard-store-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(g_dir);
  g_store = std::make_unique<SqliteStore>(g_dir / "bench.db");
}

void close_store(const benchmark::State&) {
  g_store.reset();
  std::filesystem::remove_all(g_dir);
}

// Events per commit and commits per second over the timed loop. Only
// thread 0 reports: the loop's start and end are barriers for all threads.
struct CommitCounter {
  uint64_t commits = 0;
  int64_t events = 0;
  void start() {
    commits = g_store->commit_count();
    events = g_next.load();
  }
  void report(benchmark::State& state) const {
    double done_commits = static_cast<double>(g_store->commit_count() - commits);
    double done_events = static_cast<double>(g_next.load() - events);
    state.counters["events/commit"] = done_commits > 0 ? done_events / done_commits : 0;
    state.counters["commits/s"] = benchmark::Counter(done_commits, benchmark::Counter::kIsRate);
  }
};

void BM_IngestOneEventPerCall(benchmark::State& state) {
  CommitCounter counter;
  if (state.thread_index() == 0) counter.start();
  for (auto _ : state) {
    auto outcomes = g_store->ingest({next_event()});
    benchmark::DoNotOptimize(outcomes);
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) counter.report(state);
}
BENCHMARK(BM_IngestOneEventPerCall)
    ->Setup(open_store)
    ->Teardown(close_store)
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime()
    ->MinTime(3.0);

void BM_IngestBatchOf64(benchmark::State& state) {
  CommitCounter counter;
  counter.start();
  for (auto _ : state) {
    std::vector<InboundEvent> batch;
    for (int i = 0; i < 64; ++i) batch.push_back(next_event());
    auto outcomes = g_store->ingest(batch);
    benchmark::DoNotOptimize(outcomes);
  }
  state.SetItemsProcessed(state.iterations() * 64);
  counter.report(state);
}
BENCHMARK(BM_IngestBatchOf64)->Setup(open_store)->Teardown(close_store)->UseRealTime()->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
