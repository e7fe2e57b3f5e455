// What we remember of each submitted mail (kv "in/<event id>"): it makes
// re-fetched mail a no-op after a UIDVALIDITY change, and gives a reply its
// In-Reply-To, References, subject and loop-safety verdict.
#pragma once

#include <switchboard/sdk.hpp>

#include <optional>
#include <string>
#include <vector>

#include "parsed_mail.hpp"

namespace switchboard::plugins::email {

struct InboundRecord {
  std::string message_id;
  std::string subject;
  std::vector<std::string> references;
  std::string loop_reason;  // non-empty: never answer automatically
};

// Thread-safe (the kv is); durable once remember() returns.
class InboundRecords {
 public:
  explicit InboundRecords(sdk::InstanceContext ctx) : ctx_(ctx) {}
  bool contains(const std::string& event_id) const;
  std::optional<InboundRecord> find(const std::string& event_id) const;
  void remember(const std::string& event_id, const ParsedMail& mail, const std::string& loop_reason) const;

 private:
  sdk::InstanceContext ctx_;
};

}  // namespace switchboard::plugins::email
