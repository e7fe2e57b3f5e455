// Splits "/webhooks/{inbox}[/rest]" and checks the inbox id. Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::http {

struct WebhookPath {
  std::string inbox;  // [a-z0-9][a-z0-9_-]{0,63}
  std::string rest;   // "" or "/…"
};

// True for [a-z0-9][a-z0-9_-]{0,63}.
bool is_inbox_id(std::string_view id);

// nullopt when `path` is not under /webhooks/ or its inbox id is invalid.
std::optional<WebhookPath> parse_webhook_path(std::string_view path);

}  // namespace switchboard::http
