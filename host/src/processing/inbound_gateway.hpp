// The way in: hands a webhook to its inbox's channel plugin, commits the
// events the plugin submits to the inbound log, and only then answers
// (DESIGN §2 rules 1 and 2). A duplicate is answered like a new event. A
// rejected request stores nothing. Channels that read on their own threads
// (email) submit through submit_from_channel, with the same guarantees.
//
// Called concurrently from HTTP threads and channel threads. For thread-safe
// channels the HTTP form is asynchronous: the plugin runs on the network
// thread, the events are queued to the store's writer, and the answer is
// given from the commit callback — no thread waits for the fsync.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "app/runtime_source.hpp"
#include "http/webhook_handler.hpp"
#include "store/store.hpp"

namespace switchboard::processing {

// What happened to a request's events, for metrics.
struct IngestCounts {
  std::size_t accepted = 0;
  std::size_t duplicate = 0;
  std::size_t rejected = 0;  // requests refused (4xx/5xx), not events
};

class InboundGateway : public http::WebhookHandler {
 public:
  using Committed = std::function<void()>;  // new events are in the log
  using Counted = std::function<void(const std::string& inbox, const IngestCounts&)>;

  InboundGateway(app::RuntimeSource& runtimes, store::Store& store, Committed committed, Counted counted);

  http::WebhookResponse handle(const http::WebhookRequest& request) override;
  // Takes the request when the inbox's channel is thread-safe: its on_http
  // then runs on the network thread (it verifies and parses; it must not do
  // I/O). A channel that is not thread-safe is called under its instance
  // lock, which a slow send() may hold, so it is left to handle() on the HTTP
  // worker pool.
  bool handle_async(const http::WebhookRequest& request, const http::Responder& respond) override;

  // A channel's own thread submits one event; returns after it is committed.
  sb_status submit_from_channel(const std::string& inbox, std::string_view event_json);

 private:
  // The plugin's verdict on a request: events to commit before answering
  // `reply`, or (no events) a reply to give at once.
  struct Intake {
    std::vector<store::InboundEvent> events;
    http::WebhookResponse reply;
  };
  // `inbox`: the request's inbox in a runtime the caller holds, or null.
  Intake receive(const http::WebhookRequest& call, const app::Inbox* inbox);
  http::WebhookResponse commit(const std::string& inbox, const std::vector<store::InboundEvent>& events,
                               http::WebhookResponse reply);
  // The answer once the store has spoken (`error`: nothing was stored).
  http::WebhookResponse settle(const std::string& inbox, std::size_t events,
                               const std::vector<store::IngestOutcome>& outcomes, std::exception_ptr error,
                               http::WebhookResponse reply);

  app::RuntimeSource& runtimes_;
  store::Store& store_;
  Committed committed_;
  Counted counted_;
};

}  // namespace switchboard::processing
