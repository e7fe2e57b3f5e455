// Which conversation an inbound mail continues: our Message-IDs and Reply-To
// plus-addresses carry the conversation id, so matching needs no lookup.
#pragma once

#include <optional>
#include <string>

#include "parsed_mail.hpp"

namespace switchboard::plugins::email {

struct ThreadMatch {
  std::string conversation_id;
  std::string matched_by;  // "plus-address", "in-reply-to", "references"
};

// Our outbound Message-ID (without brackets) for one outbox row.
std::string our_message_id(const std::string& conversation_id, const std::string& idempotency_key,
                           const std::string& reply_domain);

// "reply+<conversation>@<reply_domain>".
std::string plus_address(const std::string& conversation_id, const std::string& reply_domain);

// Plus-address in To/Cc first, then In-Reply-To, then References (newest
// first); nullopt: the mail starts a new thread.
std::optional<ThreadMatch> match_thread(const ParsedMail& mail, const std::string& reply_domain);

}  // namespace switchboard::plugins::email
