// One authenticated IMAP connection (libetpan), owned by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mail_url.hpp"

struct mailimap;

namespace switchboard::plugins::email {

struct MailboxStatus {
  uint32_t uidvalidity = 0;
  uint32_t uidnext = 0;
};

// Not thread-safe: the mailbox watcher's thread (or one send() call, for
// the Sent copy) owns an instance. Every failure throws std::runtime_error.
class ImapSession {
 public:
  // Connects (TLS for imaps://, STARTTLS on imap:// when offered), verifies
  // the server's certificate (system trust store, or the CAs in ca_file
  // when it is not empty) and logs in.
  ImapSession(const MailUrl& url, const std::string& username, const std::string& password,
              std::chrono::seconds timeout, const std::string& ca_file = "");
  ~ImapSession();
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;

  MailboxStatus select(const std::string& folder);
  // UIDs above `after` in the selected folder, ascending.
  std::vector<uint32_t> uids_after(uint32_t after);
  // The whole message, without setting \Seen (BODY.PEEK[]); "" when gone.
  std::string fetch(uint32_t uid);
  bool has_idle() const;
  // IDLE until the server reports something, wake_fd becomes readable, or
  // the timeout passes; true when woken by wake_fd.
  bool idle(std::chrono::milliseconds timeout, int wake_fd);
  // APPEND with \Seen (our own sent copy).
  void append(const std::string& folder, const std::string& message);

 private:
  struct Free {
    void operator()(mailimap* session) const;
  };
  void check(int result, const char* what) const;
  std::unique_ptr<mailimap, Free> session_;
  std::string host_;
};

}  // namespace switchboard::plugins::email
