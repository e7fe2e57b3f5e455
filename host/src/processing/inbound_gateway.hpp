// The way in: hands a webhook to its inbox's channel plugin, commits the
// events the plugin submits to the inbound log, and only then answers
// (DESIGN §2 rules 1 and 2). A duplicate is answered like a new event. A
// rejected request stores nothing. Channels that read on their own threads
// (email) submit through submit_from_channel, with the same guarantees.
//
// Called concurrently from HTTP worker threads and channel threads.
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

  // A channel's own thread submits one event; returns after it is committed.
  sb_status submit_from_channel(const std::string& inbox, std::string_view event_json);

 private:
  http::WebhookResponse commit(const std::string& inbox, const std::vector<store::InboundEvent>& events,
                               http::WebhookResponse reply);

  app::RuntimeSource& runtimes_;
  store::Store& store_;
  Committed committed_;
  Counted counted_;
};

}  // namespace switchboard::processing
