// ParsedMail → the inbound event the host stores (docs/plugin-guide.md).
#pragma once

#include <switchboard/sdk.hpp>

#include <string>
#include <string_view>

#include "parsed_mail.hpp"

namespace switchboard::plugins::email {

// The event id: the Message-ID, else a stable hash of the raw bytes, so a
// re-fetched mail (restart, UIDVALIDITY change) maps to the same id.
std::string event_id_of(const ParsedMail& mail, std::string_view raw);

// {"id", "type": "message", "sender", "text" (the reply), "full_text",
// "subject", "cc", "message_id", "in_reply_to", "references", "date",
// "attachments", "thread", and "auto": reason when loop_reason is set}.
sdk::Json to_event(const ParsedMail& mail, const std::string& id, const std::string& loop_reason,
                   const std::string& reply_domain);

}  // namespace switchboard::plugins::email
