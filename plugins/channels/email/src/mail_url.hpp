// imap://, imaps://, smtp://, smtps:// URLs reduced to host, port and TLS mode.
#pragma once

#include <cstdint>
#include <string>

namespace switchboard::plugins::email {

struct MailUrl {
  std::string scheme;  // imap, imaps, smtp, smtps
  std::string host;
  uint16_t port = 0;
  bool implicit_tls = false;  // imaps/smtps
};

// Parses "scheme://host[:port][/...]"; throws std::invalid_argument with the reason.
MailUrl parse_mail_url(const std::string& url, bool imap);

}  // namespace switchboard::plugins::email
