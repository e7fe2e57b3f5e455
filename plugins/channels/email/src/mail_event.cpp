// The event keeps both the trimmed reply (what the pipeline reads) and the
// full text (what an agent may need), plus the headers threading needs.
#include "mail_event.hpp"

#include <cstdint>
#include <cstdio>

#include "thread_match.hpp"

namespace switchboard::plugins::email {
namespace {

std::string fnv1a64_hex(std::string_view bytes) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return out;
}

std::string attachment_kind(const std::string& content_type) {
  for (const char* kind : {"image", "audio", "video"}) {
    if (content_type.rfind(std::string(kind) + "/", 0) == 0) return kind;
  }
  return "file";
}

// A mail that names none of our messages is keyed by the first message of
// its chain (References' root, else the mail it answers, else itself): a
// customer's follow-up to their own mail stays with it, while an unrelated
// new mail from the same sender starts a conversation of its own.
std::string thread_key_of(const ParsedMail& mail) {
  if (!mail.references.empty()) return mail.references.front();
  if (!mail.in_reply_to.empty()) return mail.in_reply_to;
  return mail.message_id;
}

sdk::Json thread_of(const ParsedMail& mail, const std::string& reply_domain) {
  auto match = match_thread(mail, reply_domain);
  if (match) return {{"conversation_id", match->conversation_id}, {"matched_by", match->matched_by}};
  sdk::Json thread = {{"new", true}};
  std::string key = thread_key_of(mail);
  if (!key.empty()) thread["key"] = key;  // no Message-ID at all: the host keys it by the event id
  return thread;
}

}  // namespace

std::string event_id_of(const ParsedMail& mail, std::string_view raw) {
  if (!mail.message_id.empty()) return mail.message_id;
  return "sha-fnv1a64:" + fnv1a64_hex(raw);
}

sdk::Json to_event(const ParsedMail& mail, const std::string& id, const std::string& loop_reason,
                   const std::string& reply_domain) {
  sdk::Json attachments = sdk::Json::array();
  for (const auto& a : mail.attachments) {
    attachments.push_back({{"type", attachment_kind(a.content_type)},
                           {"name", a.name},
                           {"content_type", a.content_type},
                           {"size", a.size}});
  }
  sdk::Json cc = sdk::Json::array();
  for (const auto& a : mail.cc) cc.push_back({{"name", a.name}, {"email", a.address}});
  sdk::Json sender = {{"id", mail.from_address}, {"email", mail.from_address}};
  if (!mail.from_name.empty()) sender["name"] = mail.from_name;
  sdk::Json event = {{"id", id},
                     {"type", "message"},
                     {"sender", sender},
                     {"text", mail.reply},
                     {"full_text", mail.text},
                     {"subject", mail.subject},
                     {"message_id", mail.message_id},
                     {"in_reply_to", mail.in_reply_to},
                     {"references", mail.references},
                     {"attachments", attachments},
                     {"cc", cc},
                     {"thread", thread_of(mail, reply_domain)}};
  if (!mail.date.empty()) event["date"] = mail.date;
  if (!loop_reason.empty()) event["auto"] = loop_reason;
  return event;
}

}  // namespace switchboard::plugins::email
