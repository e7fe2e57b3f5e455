// The running host: store, inbound gateway, processing, outbox and HTTP
// server around the current Runtime (plugins and pipelines).
//
// Start is recovery (DESIGN §2 rule 6): open the database, put sends a crash
// interrupted back in the queue, start processing from whatever the log holds
// unprocessed, then start the plugins and finally open the HTTP port. Stop is
// the reverse: close the port, stop the channels, let in-flight work finish.
// start/reload/stop are called from the owner's thread (run's signal loop).
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "app/runtime.hpp"
#include "app/runtime_source.hpp"
#include "http/http_server.hpp"
#include "metrics/host_metrics.hpp"
#include "metrics/registry.hpp"
#include "outbox/outbox_dispatcher.hpp"
#include "processing/inbound_gateway.hpp"
#include "processing/processing_scheduler.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"
#include "team/desk.hpp"
#include "team/desk_timer.hpp"

namespace switchboard::app {

class Service {
 public:
  // log_level: when set (--log-level), it beats service.log_level, also on reload.
  Service(std::filesystem::path config_file, std::filesystem::path executable, std::string log_level = {});
  ~Service();

  // Throws StartupError (config) or std::runtime_error (database, port).
  void start();
  // Applies the config file again; an invalid one is logged and ignored.
  // Returns whether the new config took effect.
  bool reload();
  void stop();

  uint16_t port() const { return http_ ? http_->port() : 0; }

 private:
  std::unique_ptr<Runtime> build_runtime();  // built and connected, not started
  void record(const processing::ProcessOutcome& outcome, bool ok);
  void apply_log_level(const std::string& configured) const;

  std::filesystem::path config_file_;
  std::filesystem::path executable_;
  std::string log_level_;
  config::ServiceConfig service_;  // as started; changes need a restart

  metrics::Registry registry_;
  metrics::HostMetrics metrics_{registry_};
  RuntimeSource runtimes_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<plugins::KeyValue> key_value_;  // the plugins' kv_*, over store_
  std::unique_ptr<outbox::OutboxDispatcher> outbox_;
  std::unique_ptr<processing::ProcessingScheduler> scheduler_;
  std::unique_ptr<processing::InboundGateway> gateway_;
  team::EventBus events_;
  std::unique_ptr<team::Desk> desk_;
  std::unique_ptr<team::DeskTimer> desk_timer_;
  std::unique_ptr<http::HttpServer> http_;
  std::atomic<bool> ready_{false};
};

}  // namespace switchboard::app
