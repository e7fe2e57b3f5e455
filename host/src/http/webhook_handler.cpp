#include "http/webhook_handler.hpp"

#include <future>
#include <memory>

namespace switchboard::http {

WebhookResponse handle_blocking(WebhookHandler& handler, const WebhookRequest& request) {
  if (!handler.answers_async(request)) return handler.handle(request);
  // Shared with the responder, which may still be inside set_value() when
  // get() returns.
  auto answer = std::make_shared<std::promise<WebhookResponse>>();
  std::future<WebhookResponse> answered = answer->get_future();
  handler.handle_async(request, [answer](WebhookResponse response) { answer->set_value(std::move(response)); });
  return answered.get();
}

}  // namespace switchboard::http
