// The inbound side: a thread that keeps one IMAP connection, catches up on
// new UIDs and then waits in IDLE (or sleeps poll_seconds without it).
#pragma once

#include <switchboard/sdk.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "mail_url.hpp"
#include "uid_cursor.hpp"
#include "wakeup.hpp"

namespace switchboard::plugins::email {

struct WatchSettings {
  MailUrl url;
  std::string username;
  std::string password;
  std::string folder = "INBOX";
  std::chrono::seconds poll_interval{60};
  std::chrono::seconds idle_restart{300};  // re-issue IDLE well before servers drop it
  std::chrono::seconds timeout{30};
  bool import_existing = false;  // first start: read mail already in the folder
  std::string ca_file;           // tls_ca_file: CAs trusted instead of the system store
};

// Called with each new message's raw bytes; it must have submitted the mail
// durably (or decided to skip it) when it returns: the cursor moves after it.
using MailSink = std::function<void(const std::string& raw)>;

// start()/stop() from the plugin's start()/stop(); the sink runs on the
// watcher's own thread.
class MailboxWatcher {
 public:
  MailboxWatcher(sdk::InstanceContext ctx, WatchSettings settings, MailSink sink);
  ~MailboxWatcher();
  void start();
  void stop();

 private:
  void run();
  void session_loop();
  void catch_up(class ImapSession& session, uint32_t uidvalidity, uint32_t uidnext);

  sdk::InstanceContext ctx_;
  WatchSettings settings_;
  MailSink sink_;
  UidCursorStore cursor_;
  Wakeup wakeup_;
  std::thread thread_;
};

}  // namespace switchboard::plugins::email
