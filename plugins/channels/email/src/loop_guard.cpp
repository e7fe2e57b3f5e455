// Answering an auto-responder or a bounce risks a mail loop; these checks
// follow RFC 3834 §2 and what Chatwoot and Discourse treat as automatic.
#include "loop_guard.hpp"

namespace switchboard::plugins::email {
namespace {

std::string local_part(const std::string& address) { return address.substr(0, address.find('@')); }

}  // namespace

bool is_unanswerable_address(const std::string& address, const std::string& our_address) {
  if (address.empty()) return true;
  if (!our_address.empty() && address == our_address) return true;
  std::string local = local_part(address);
  return local == "mailer-daemon" || local == "postmaster" || local.rfind("noreply", 0) == 0 ||
         local.rfind("no-reply", 0) == 0;
}

std::string loop_reason(const ParsedMail& mail, const std::string& our_address) {
  if (!mail.auto_submitted.empty() && mail.auto_submitted != "no") return "auto-submitted: " + mail.auto_submitted;
  if (mail.x_autoreply == "yes") return "x-autoreply";
  if (mail.precedence == "bulk" || mail.precedence == "list" || mail.precedence == "junk") {
    return "precedence: " + mail.precedence;
  }
  if (mail.is_report) return "delivery or read report (multipart/report)";
  if (mail.has_failed_recipients) return "bounce (x-failed-recipients)";
  if (!our_address.empty() && mail.from_address == our_address) return "sent from our own address";
  if (is_unanswerable_address(mail.from_address, our_address)) return "sender is " + mail.from_address;
  return {};
}

}  // namespace switchboard::plugins::email
