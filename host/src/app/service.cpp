// Start-up (= recovery), reload and shutdown order of the host.
#include "app/service.hpp"

#include <thread>

#include "api/agent_api.hpp"
#include "api/canned_routes.hpp"
#include "api/report_api.hpp"
#include "app/allocator_tuning.hpp"
#include "app/store_key_value.hpp"
#include "config/listen_address.hpp"
#include "log/logger.hpp"
#include "outbox/send_window.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "web/web_routes.hpp"

namespace switchboard::app {

Service::Service(std::filesystem::path config_file, std::filesystem::path executable, std::string log_level)
    : config_file_(std::move(config_file)), executable_(std::move(executable)), log_level_(std::move(log_level)) {}

void Service::apply_log_level(const std::string& configured) const {
  log::set_level(log_level_.empty() ? configured : log_level_);
}

Service::~Service() { stop(); }

std::unique_ptr<Runtime> Service::build_runtime() {
  std::unique_ptr<Runtime> runtime = Runtime::load(config_file_, executable_, Runtime::Parts::Everything);
  // Channels that read on their own threads (email) submit through the gateway.
  runtime->connect_inbound([this](const std::string& inbox, std::string_view event_json) {
    return gateway_->submit_from_channel(inbox, event_json);
  });
  if (key_value_) runtime->connect_key_value(*key_value_);  // reloads; start() connects the first one
  return runtime;
}

void Service::start() {
  std::unique_ptr<Runtime> runtime = build_runtime();  // validates everything before touching the database
  service_ = runtime->config().service;
  apply_log_level(service_.log_level);
  tune_allocator();
  log::info("app", "allocator: " + allocator_name());
  unsigned cpus = std::thread::hardware_concurrency();
  std::size_t workers = config::processing_workers(service_, cpus);
  std::size_t senders = config::outbox_senders(service_, cpus);

  std::filesystem::path db = service_.data_dir / "switchboard.db";
  store_ = std::make_unique<store::SqliteStore>(db);
  key_value_ = std::make_unique<StoreKeyValue>(*store_);
  runtime->connect_key_value(*key_value_);
  int64_t requeued = store_->requeue_interrupted_sends();
  if (requeued > 0) {
    log::warn("outbox", std::to_string(requeued) +
                            " send(s) interrupted by a crash will be retried; the far side "
                            "may see them twice (same idempotency key)");
  }

  outbox::BackoffPolicy policy{service_.retry_base_ms, service_.retry_max_ms, service_.outbox_max_attempts};
  outbox_ = std::make_unique<outbox::OutboxDispatcher>(runtimes_, *store_, senders, policy,
                                                       [this](const std::string& inbox, outbox::SendResult result) {
                                                         metrics_.replies(inbox, outbox::to_string(result)).inc();
                                                       });
  outbox_->on_billable([this](const std::string& inbox) { metrics_.billable_sends(inbox).inc(); });
  // The desk before the scheduler: processing asks it for queue positions,
  // awaited ratings and channel-requested erasures.
  desk_ = std::make_unique<team::Desk>(
      *store_,
      [this]() -> std::shared_ptr<const config::TeamConfig> {
        auto runtime = runtimes_.current();
        if (!runtime) return nullptr;
        return std::shared_ptr<const config::TeamConfig>(runtime, &runtime->config().team);  // keeps the runtime alive
      },
      events_, store::now_ms,
      [this]() -> int64_t {
        auto runtime = runtimes_.current();
        return runtime ? runtime->config().service.retention_days : 0;
      });
  desk_->on_breach([this](const store::SlaBreach& breach) {
    metrics_.sla_breaches_total.with({breach.queue, breach.kind}).inc();
  });
  scheduler_ = std::make_unique<processing::ProcessingScheduler>(
      runtimes_, *store_, workers, [this](const processing::ProcessOutcome& outcome, bool ok) { record(outcome, ok); },
      desk_.get());
  gateway_ = std::make_unique<processing::InboundGateway>(
      runtimes_, *store_, [this] { scheduler_->notify(); },
      [this](const std::string& inbox, const processing::IngestCounts& counts) {
        if (counts.accepted) metrics_.inbound(inbox, "accepted").inc(counts.accepted);
        if (counts.duplicate) metrics_.inbound(inbox, "duplicate").inc(counts.duplicate);
        if (counts.rejected) metrics_.inbound(inbox, "rejected").inc(counts.rejected);
      });
  metrics_.set_outbox_depth_source([this] { return static_cast<double>(store_->outbox_depth()); });

  std::size_t inboxes = runtime->inboxes().size();
  runtime->start();  // handlers, then channels: the gateway is there to take what they submit
  runtimes_.replace(std::shared_ptr<const Runtime>(std::move(runtime)));
  outbox_->start();
  scheduler_->start();  // recovery: the log's unprocessed events come first

  std::string error;
  auto listen = config::parse_listen_address(service_.listen, error);
  http::HttpServerOptions options;
  options.host = listen->host;
  options.port = listen->port;
  options.threads = static_cast<std::size_t>(service_.http_threads);
  options.max_body_bytes = static_cast<std::size_t>(service_.max_body_bytes);
  options.read_timeout_ms = static_cast<int>(service_.read_timeout_ms);
  options.routes.push_back(api::agent_api_routes(*desk_, [this](const std::string& inbox, int64_t last_inbound_at) {
    auto runtime = runtimes_.current();
    const Inbox* configured = runtime ? runtime->inbox(inbox) : nullptr;
    if (configured == nullptr || !configured->channel) return nlohmann::json(nullptr);
    return outbox::probe_send_window(*configured->channel, configured->config.channel.plugin, last_inbound_at)
        .to_json();
  }));
  options.routes.push_back(api::canned_routes(*desk_));
  options.routes.push_back(api::report_api_routes(*desk_, [this] {
    api::ReportSettings settings;
    auto runtime = runtimes_.current();
    if (!runtime) return settings;
    settings.timezone = runtime->config().service.timezone;
    for (const auto& inbox : runtime->inboxes()) settings.inbox_channels[inbox.config.id] = inbox.config.channel.plugin;
    return settings;
  }));
  options.routes.push_back(web::web_routes());
  http_ = std::make_unique<http::HttpServer>(options, *gateway_, metrics_, [this] {
    return ready_ ? http::Readiness{true, ""} : http::Readiness{false, "starting"};
  });
  http_->start();  // binds and logs "listening on host:port"
  desk_timer_ = std::make_unique<team::DeskTimer>(*desk_, std::chrono::seconds(1));
  desk_timer_->start();
  ready_ = true;
  log::info("app", "ready: database " + db.string() + ", " + std::to_string(inboxes) + " inbox(es), " +
                       std::to_string(workers) + " worker(s), " + std::to_string(senders) + " outbox sender(s)");
}

bool Service::reload() {
  std::unique_ptr<Runtime> next;
  try {
    next = build_runtime();
    next->start();
  } catch (const StartupError& e) {
    for (const auto& line : e.lines()) log::error("config", line);
    log::error("app", "reload refused; the running config stays in force");
    return false;
  } catch (const std::exception& e) {
    log::error("app", std::string("reload refused: ") + e.what());
    return false;
  }
  if (next->config().service.listen != service_.listen || next->config().service.data_dir != service_.data_dir) {
    log::warn("app", "service.listen and service.data_dir changes take effect at the next restart");
  }
  apply_log_level(next->config().service.log_level);
  // Work holding the old runtime finishes with it; it is destroyed (plugins
  // stopped) when the last such holder lets go.
  runtimes_.replace(std::move(next));
  log::info("app", "reloaded " + config_file_.string());
  return true;
}

void Service::stop() {
  ready_ = false;
  if (http_) http_->stop();  // no new webhooks or API calls
  if (desk_timer_) desk_timer_->stop();
  if (scheduler_) scheduler_->stop();  // the event in hand finishes; the rest stays in the log
  if (outbox_) outbox_->stop();        // sends in flight finish
  metrics_.set_outbox_depth_source(nullptr);
  runtimes_.replace(nullptr);  // plugins stop when the last user lets go
  http_.reset();
  desk_timer_.reset();
  gateway_.reset();
  scheduler_.reset();
  desk_.reset();  // after the scheduler, which holds it
  outbox_.reset();
  store_.reset();  // drains the writer, closes the database
}

void Service::record(const processing::ProcessOutcome& outcome, bool ok) {
  metrics_.processed(outcome.inbox, ok ? "ok" : "error").inc();
  if (outcome.suppressed_replies) metrics_.replies(outcome.inbox, "suppressed").inc(outcome.suppressed_replies);
  if (outcome.csat_rating) {
    metrics_.csat_ratings_total.with({outcome.csat_department, std::to_string(*outcome.csat_rating)}).inc();
  }
  for (const auto& step : outcome.run.steps) {
    metrics_.pipeline_step(step.plugin).observe(static_cast<double>(step.micros) / 1e6);
  }
  if (outcome.outbox_rows) outbox_->notify();
  // Agents' screens learn of the new message live (SSE), whoever handled it.
  if (outcome.conversation_id != 0 && events_.has_subscribers()) {
    if (auto conversation = store_->conversation_summary(outcome.conversation_id)) {
      events_.publish(team::Desk::event_of("conversation.message", *conversation));
    }
  }
}

}  // namespace switchboard::app
