// What a messaging platform does to the host: signed POSTs to
// /webhooks/{inbox} over one keep-alive connection, plus plain GETs.
// Threads: one client per thread.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

namespace switchboard::integration {

// An inbound api-channel message.
struct WebhookMessage {
  std::string message_id;
  std::string user_id;
  std::string user_name;
  std::string text;
  // {"message_id": ..., "user": {"id": ..., "name": ...}, "text": ...}
  std::string body() const;
};

// A status and body; status 0 when no answer came (refused, reset, timeout).
struct HttpAnswer {
  int status = 0;
  std::string body;
  bool ok() const { return status >= 200 && status < 300; }
};

class WebhookClient {
 public:
  WebhookClient(int port, std::string secret);

  // POSTs body signed with the secret.
  HttpAnswer post(const std::string& inbox, const std::string& body);
  HttpAnswer post(const std::string& inbox, const WebhookMessage& message) { return post(inbox, message.body()); }
  // POSTs body with the given X-Switchboard-Signature, or none.
  HttpAnswer post_signed_as(const std::string& inbox, const std::string& body,
                            const std::optional<std::string>& signature);
  HttpAnswer get(const std::string& path);

 private:
  std::string secret_;
  httplib::Client client_;
};

}  // namespace switchboard::integration
