// Message-ID form: conversation.<id>.message.<key>@<reply_domain> — the
// conversation survives in the reply headers even if our own store does not.
#include "thread_match.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::plugins::email {
namespace {

bool token_ok(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '_'; });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The conversation of one of our Message-IDs, or "".
std::string conversation_of_id(const std::string& id, const std::string& domain) {
  std::size_t at = id.rfind('@');
  if (at == std::string::npos || lower(id.substr(at + 1)) != domain) return {};
  std::string local = id.substr(0, at);
  const std::string prefix = "conversation.";
  if (local.compare(0, prefix.size(), prefix) != 0) return {};
  std::size_t dot = local.find(".message.", prefix.size());
  if (dot == std::string::npos) return {};
  std::string conversation = local.substr(prefix.size(), dot - prefix.size());
  return token_ok(conversation) ? conversation : std::string();
}

std::string conversation_of_plus(const std::string& address, const std::string& domain) {
  const std::string prefix = "reply+";
  std::size_t at = address.rfind('@');
  if (at == std::string::npos || address.substr(at + 1) != domain) return {};
  if (address.compare(0, prefix.size(), prefix) != 0) return {};
  std::string conversation = address.substr(prefix.size(), at - prefix.size());
  return token_ok(conversation) ? conversation : std::string();
}

}  // namespace

std::string our_message_id(const std::string& conversation_id, const std::string& idempotency_key,
                           const std::string& reply_domain) {
  return "conversation." + conversation_id + ".message." + idempotency_key + "@" + reply_domain;
}

std::string plus_address(const std::string& conversation_id, const std::string& reply_domain) {
  return "reply+" + conversation_id + "@" + reply_domain;
}

std::optional<ThreadMatch> match_thread(const ParsedMail& mail, const std::string& reply_domain) {
  std::string domain = lower(reply_domain);
  if (domain.empty()) return std::nullopt;
  for (const auto& rcpt : mail.recipients) {
    std::string c = conversation_of_plus(rcpt, domain);
    if (!c.empty()) return ThreadMatch{c, "plus-address"};
  }
  std::string c = conversation_of_id(mail.in_reply_to, domain);
  if (!c.empty()) return ThreadMatch{c, "in-reply-to"};
  for (auto it = mail.references.rbegin(); it != mail.references.rend(); ++it) {
    c = conversation_of_id(*it, domain);
    if (!c.empty()) return ThreadMatch{c, "references"};
  }
  return std::nullopt;
}

}  // namespace switchboard::plugins::email
