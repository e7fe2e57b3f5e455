#include "http/webhook_handler.hpp"

#include <future>
#include <memory>

namespace switchboard::http {

WebhookResponse handle_blocking(WebhookHandler& handler, const WebhookRequest& request) {
  // Shared with the responder, which may still be inside set_value() when
  // get() returns.
  auto answer = std::make_shared<std::promise<WebhookResponse>>();
  std::future<WebhookResponse> answered = answer->get_future();
  Responder respond = [answer](WebhookResponse response) { answer->set_value(std::move(response)); };
  if (!handler.handle_async(request, respond)) return handler.handle(request);
  return answered.get();
}

}  // namespace switchboard::http
