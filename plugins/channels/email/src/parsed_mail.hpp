// One inbound mail reduced to what the channel needs: identity, threading
// headers, loop-safety headers, the readable text and the attachment list.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::email {

struct MailAttachment {
  std::string name;
  std::string content_type;
  std::size_t size = 0;  // decoded bytes
};

struct MailAddress {
  std::string name;     // decoded UTF-8, NFC
  std::string address;  // lower-cased
};

struct ParsedMail {
  std::string message_id;               // without angle brackets; empty when absent
  std::string subject;                  // decoded UTF-8, NFC
  std::string from_name;                // decoded UTF-8, NFC
  std::string from_address;             // lower-cased
  std::vector<std::string> recipients;  // To and Cc addresses, lower-cased
  std::vector<MailAddress> cc;          // Cc with display names (agents see who else was asked)
  std::string in_reply_to;              // first id, without brackets
  std::vector<std::string> references;  // oldest first, without brackets
  std::string date;                     // RFC 3339 UTC; empty when absent
  std::string text;                     // text/plain, else text converted from HTML
  bool text_from_html = false;
  std::string reply;  // text without quoted history and signature
  std::string html;   // the first text/html part, raw
  std::vector<MailAttachment> attachments;
  // Loop-safety inputs, as found in the headers.
  std::string auto_submitted;
  std::string precedence;
  std::string x_autoreply;
  bool has_failed_recipients = false;
  bool is_report = false;  // multipart/report: a DSN or MDN
};

// Normalises decoded text (the host's NFC through ctx.fold); identity when empty.
using TextNormalizer = std::function<std::string(std::string_view)>;

}  // namespace switchboard::plugins::email
