// One small JSON value per mail; References are kept whole so a long thread
// keeps its chain when we answer.
#include "inbound_records.hpp"

namespace switchboard::plugins::email {
namespace {

std::string key_of(const std::string& event_id) { return "in/" + event_id; }

}  // namespace

bool InboundRecords::contains(const std::string& event_id) const { return ctx_.kv_get(key_of(event_id)).has_value(); }

std::optional<InboundRecord> InboundRecords::find(const std::string& event_id) const {
  if (event_id.empty()) return std::nullopt;
  std::optional<std::string> text = ctx_.kv_get(key_of(event_id));
  if (!text) return std::nullopt;
  sdk::Json j = sdk::Json::parse(*text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  InboundRecord r;
  r.message_id = j.value("message_id", "");
  r.subject = j.value("subject", "");
  r.loop_reason = j.value("auto", "");
  if (j.contains("references") && j["references"].is_array()) {
    r.references = j["references"].get<std::vector<std::string>>();
  }
  return r;
}

void InboundRecords::remember(const std::string& event_id, const ParsedMail& mail,
                              const std::string& loop_reason) const {
  sdk::Json j = {{"message_id", mail.message_id}, {"subject", mail.subject}, {"references", mail.references}};
  if (!loop_reason.empty()) j["auto"] = loop_reason;
  ctx_.kv_set(key_of(event_id), j.dump());
}

}  // namespace switchboard::plugins::email
