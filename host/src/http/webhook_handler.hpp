// What the HTTP server hands to the host for /webhooks/{inbox}[/…] and what
// it expects back. The host implements WebhookHandler (look up the inbox, call
// its channel plugin's on_http, commit, answer).
#pragma once

#include <functional>
#include <string>

namespace switchboard::http {

struct WebhookRequest {
  std::string inbox;         // the {inbox} path segment, already checked against [a-z0-9][a-z0-9_-]{0,63}
  std::string method;        // "GET" or "POST"
  std::string path;          // below /webhooks/{inbox}: "" or "/…" (percent-decoded)
  std::string query;         // raw query string without '?', "" when none
  std::string headers_json;  // JSON object: lower-case name -> value; repeats joined with ", "; valid UTF-8
  std::string body;          // raw bytes exactly as received (sign over these); "" for GET
  std::string remote_addr;   // peer IP address as text
};

struct WebhookResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";  // empty means this default
  std::string body;
};

// Answers one request, exactly once, from any thread.
using Responder = std::function<void(WebhookResponse)>;

// Receives every request routed to /webhooks/{inbox}[/…], known inbox or not:
// answering 404 for an unknown inbox is the handler's decision. Calls for the
// same or different inboxes run concurrently, so implementations must be
// thread-safe. An exception becomes a 500 with a generic JSON error; its text
// goes to the log only.
//
// Two forms. handle_async() is tried first, on a network thread: a handler
// that can answer without blocking (the host's gateway, for a thread-safe
// channel: a plugin call, then a write queued to the store whose commit
// answers the request) takes the request there. Otherwise handle() runs on
// the server's worker pool (HttpServerOptions::threads), where blocking is fine.
class WebhookHandler {
 public:
  virtual ~WebhookHandler() = default;
  virtual WebhookResponse handle(const WebhookRequest& request) = 0;

  // True when the handler took the request: it then calls `respond` exactly
  // once, now or later, from any thread, and must not block meanwhile.
  // False, without calling `respond`, when the request needs handle().
  virtual bool handle_async(const WebhookRequest& /*request*/, const Responder& /*respond*/) { return false; }
};

// Runs `handler` for `request` on the calling thread and returns its answer,
// whichever form it takes (blocks until an asynchronous answer arrives).
WebhookResponse handle_blocking(WebhookHandler& handler, const WebhookRequest& request);

}  // namespace switchboard::http
