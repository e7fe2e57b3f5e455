// Test fixture: real Dovecot + aiosmtpd (→ dovecot-lda) on loopback ports,
// in a temporary directory, stopped by pid when the object goes away.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace switchboard::plugins::email::testing {

class MailServers {
 public:
  // Starts both; throws std::runtime_error when they do not come up.
  // idle=false: Dovecot does not offer IDLE (the poll fallback).
  explicit MailServers(bool idle = true);
  ~MailServers();
  MailServers(const MailServers&) = delete;
  MailServers& operator=(const MailServers&) = delete;

  std::string imap_url() const { return "imap://127.0.0.1:" + std::to_string(imap_port_); }
  std::string smtp_url() const { return "smtp://127.0.0.1:" + std::to_string(smtp_port_); }
  // Submits raw mail through the SMTP server (delivered unseen by dovecot-lda).
  void deliver(const std::string& raw, const std::string& from, const std::string& to) const;
  // Mail the SMTP server accepted for addresses outside the two test domains.
  std::vector<std::string> outgoing() const;

 private:
  std::string dir_;
  uint16_t imap_port_ = 0;
  uint16_t smtp_port_ = 0;
};

}  // namespace switchboard::plugins::email::testing
