// Mail we must never answer automatically (RFC 3834 and common practice).
#pragma once

#include <string>

#include "parsed_mail.hpp"

namespace switchboard::plugins::email {

// Why this mail must get no automated reply, or "" when it may: an
// Auto-Submitted other than "no", X-Autoreply, Precedence bulk/list/junk, a
// multipart/report (DSN or MDN), X-Failed-Recipients, a mailer-daemon or
// postmaster sender, or our own address as the sender.
std::string loop_reason(const ParsedMail& mail, const std::string& our_address);

// True for addresses no automated reply may go to (daemons, our own address).
bool is_unanswerable_address(const std::string& address, const std::string& our_address);

}  // namespace switchboard::plugins::email
