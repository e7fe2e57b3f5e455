// SMTP submission through libcurl: one message, one envelope.
#pragma once

#include <chrono>
#include <string>

namespace switchboard::plugins::email {

struct SmtpSettings {
  std::string url;  // smtp:// (STARTTLS when offered) or smtps://
  std::string username;
  std::string password;
  std::chrono::milliseconds timeout{30000};
  std::string ca_file;  // PEM CAs trusted instead of the system store; "" = the system store
};

struct SmtpOutcome {
  bool delivered = false;
  bool transient = false;  // 4xx or no answer at all: worth retrying
  long code = 0;           // the last SMTP reply code (0: none)
  std::string message;     // the server's reply text or curl's error
};

// Thread-safe: each call uses its own curl handle.
SmtpOutcome smtp_send(const SmtpSettings& settings, const std::string& from, const std::string& to,
                      const std::string& message);

}  // namespace switchboard::plugins::email
