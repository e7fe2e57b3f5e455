// Outbound mail built with GMime: UTF-8 text/plain, RFC 2047 headers, CRLF.
#pragma once

#include <string>
#include <vector>

namespace switchboard::plugins::email {

struct OutgoingMail {
  std::string from_name;
  std::string from_address;
  std::string to_address;
  std::string reply_to;  // empty: none
  std::string subject;
  std::string message_id;               // without brackets
  std::string in_reply_to;              // without brackets; empty: a new thread
  std::vector<std::string> references;  // without brackets, oldest first
  bool automated = false;               // adds Auto-Submitted: auto-replied (RFC 3834)
  std::string text;
};

// The message as CRLF-terminated RFC 5322 bytes ready for SMTP DATA.
std::string compose(const OutgoingMail& mail);

// "Re: " + subject unless it already starts with a reply prefix.
std::string reply_subject(const std::string& subject);

}  // namespace switchboard::plugins::email
