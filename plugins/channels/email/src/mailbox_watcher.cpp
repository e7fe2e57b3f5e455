// Reconnects with a capped backoff; submission happens before the cursor
// moves, so a crash in between re-submits (the host and our Message-ID
// record dedupe) rather than losing mail.
#include "mailbox_watcher.hpp"

#include <algorithm>

#include "imap_session.hpp"

namespace switchboard::plugins::email {

MailboxWatcher::MailboxWatcher(sdk::InstanceContext ctx, WatchSettings settings, MailSink sink)
    : ctx_(ctx), settings_(std::move(settings)), sink_(std::move(sink)), cursor_(ctx, settings_.folder) {}

MailboxWatcher::~MailboxWatcher() { stop(); }

void MailboxWatcher::start() {
  thread_ = std::thread([this] { run(); });
}

void MailboxWatcher::stop() {
  wakeup_.signal();
  if (thread_.joinable()) thread_.join();
}

void MailboxWatcher::run() {
  std::chrono::milliseconds backoff(500);
  while (!wakeup_.signalled()) {
    try {
      session_loop();
      backoff = std::chrono::milliseconds(500);
    } catch (const std::exception& e) {
      ctx_.warn(std::string("email: ") + e.what() + "; reconnecting in " + std::to_string(backoff.count()) + " ms");
      wakeup_.wait(backoff);
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(60));
    }
  }
}

void MailboxWatcher::session_loop() {
  ImapSession session(settings_.url, settings_.username, settings_.password, settings_.timeout, settings_.ca_file);
  MailboxStatus status = session.select(settings_.folder);
  bool idle = session.has_idle();
  ctx_.info("email: watching " + settings_.folder + " on " + settings_.url.host +
            (idle ? " with IDLE" : " by polling every " + std::to_string(settings_.poll_interval.count()) + " s"));
  while (!wakeup_.signalled()) {
    catch_up(session, status.uidvalidity, status.uidnext);
    if (idle) {
      if (session.idle(settings_.idle_restart, wakeup_.fd())) return;
    } else if (wakeup_.wait(settings_.poll_interval)) {
      return;
    }
    status = session.select(settings_.folder);  // a fresh UIDVALIDITY after each wait
  }
}

void MailboxWatcher::catch_up(ImapSession& session, uint32_t uidvalidity, uint32_t uidnext) {
  std::optional<UidCursor> stored = cursor_.load();
  UidCursor cursor{uidvalidity, 0};
  if (!stored) {
    // First start: either read what is there, or only what arrives from now on.
    if (!settings_.import_existing && uidnext > 0) cursor.last_uid = uidnext - 1;
    cursor_.save(cursor);
  } else if (stored->uidvalidity != uidvalidity) {
    ctx_.warn("email: UIDVALIDITY of " + settings_.folder + " changed (" + std::to_string(stored->uidvalidity) +
              " -> " + std::to_string(uidvalidity) + "); re-reading it, duplicates are dropped by Message-ID");
    cursor_.save(cursor);
  } else {
    cursor = *stored;
  }
  for (uint32_t uid : session.uids_after(cursor.last_uid)) {
    if (wakeup_.signalled()) return;
    std::string raw = session.fetch(uid);
    if (!raw.empty()) sink_(raw);
    cursor.last_uid = uid;
    cursor_.save(cursor);
  }
}

}  // namespace switchboard::plugins::email
