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
  // tls=true: a test CA (ca_file()) signs the servers' certificate; IMAP
  // offers STARTTLS and IMAPS listens too, SMTP requires STARTTLS and SMTPS
  // listens too.
  explicit MailServers(bool idle = true, bool tls = false);
  ~MailServers();
  MailServers(const MailServers&) = delete;
  MailServers& operator=(const MailServers&) = delete;

  std::string imap_url() const { return "imap://127.0.0.1:" + std::to_string(imap_port_); }
  std::string smtp_url() const { return "smtp://127.0.0.1:" + std::to_string(smtp_port_); }
  std::string imaps_url() const { return "imaps://127.0.0.1:" + std::to_string(imaps_port_); }
  std::string smtps_url() const { return "smtps://127.0.0.1:" + std::to_string(smtps_port_); }
  // The test CA's certificate (PEM); "" without TLS.
  std::string ca_file() const;
  // Dovecot's log: each login line says "TLS" when the session was encrypted.
  std::string imap_log() const;
  // Submits raw mail through the SMTP server (delivered unseen by dovecot-lda).
  void deliver(const std::string& raw, const std::string& from, const std::string& to) const;
  // Mail the SMTP server accepted for addresses outside the two test domains.
  std::vector<std::string> outgoing() const;

 private:
  std::string dir_;
  uint16_t imap_port_ = 0;
  uint16_t smtp_port_ = 0;
  uint16_t imaps_port_ = 0;
  uint16_t smtps_port_ = 0;
  bool tls_ = false;
};

}  // namespace switchboard::plugins::email::testing
