// Webhook paths: /webhooks/{inbox} and /webhooks/{inbox}/{rest…}.
#include "http/webhook_path.hpp"

namespace switchboard::http {
namespace {

constexpr std::string_view kPrefix = "/webhooks/";
constexpr std::size_t kMaxInboxIdLength = 64;

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

bool is_inbox_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxInboxIdLength || !is_lower_alnum(id[0])) return false;
  for (char c : id.substr(1)) {
    if (!is_lower_alnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

std::optional<WebhookPath> parse_webhook_path(std::string_view path) {
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view tail = path.substr(kPrefix.size());
  std::size_t slash = tail.find('/');
  std::string_view inbox = tail.substr(0, slash);
  if (!is_inbox_id(inbox)) return std::nullopt;
  std::string_view rest = slash == std::string_view::npos ? std::string_view() : tail.substr(slash);
  return WebhookPath{std::string(inbox), std::string(rest)};
}

}  // namespace switchboard::http
