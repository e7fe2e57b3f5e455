// What the HTTP server hands to the host for /webhooks/{inbox}[/…] and what
// it expects back. The host implements WebhookHandler (look up the inbox, call
// its channel plugin's on_http, commit, answer).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace switchboard::http {

struct WebhookRequest {
  std::string inbox;        // the {inbox} path segment, already checked against [a-z0-9][a-z0-9_-]{0,63}
  std::string method;       // "GET" or "POST"
  std::string path;         // below /webhooks/{inbox}: "" or "/…" (percent-decoded)
  std::string query;        // raw query string without '?', "" when none
  nlohmann::json headers;   // object: lower-case name -> value; repeats joined with ", "; valid UTF-8
  std::string body;         // raw bytes exactly as received (sign over these); "" for GET
  std::string remote_addr;  // peer IP address as text
};

struct WebhookResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";  // empty means this default
  std::string body;
};

// Receives every request routed to /webhooks/{inbox}[/…], known inbox or not:
// answering 404 for an unknown inbox is the handler's decision.
//
// Called from the HTTP server's thread pool, concurrently: up to
// HttpServerOptions::threads calls at once, for the same or different inboxes,
// so implementations must be thread-safe. A call blocks its connection (and one
// pool thread) until it returns. An exception becomes a 500 with a generic JSON
// error; its text goes to the log only.
class WebhookHandler {
 public:
  virtual ~WebhookHandler() = default;
  virtual WebhookResponse handle(const WebhookRequest& request) = 0;
};

}  // namespace switchboard::http
