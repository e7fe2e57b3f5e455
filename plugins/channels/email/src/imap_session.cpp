// libetpan's low-level mailimap_* calls; every list it returns is freed by
// its own RAII holder before the function returns.
#include "imap_session.hpp"

#include <libetpan/libetpan.h>
#include <poll.h>

#include <algorithm>
#include <stdexcept>

#include "server_certificate.hpp"

namespace switchboard::plugins::email {
namespace {

template <typename T, void (*Fn)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p != nullptr) Fn(p);
  }
};
using FetchList = std::unique_ptr<clist, Deleter<clist, mailimap_fetch_list_free>>;
using SetPtr = std::unique_ptr<mailimap_set, Deleter<mailimap_set, mailimap_set_free>>;
using FetchTypePtr = std::unique_ptr<mailimap_fetch_type, Deleter<mailimap_fetch_type, mailimap_fetch_type_free>>;
using FlagListPtr = std::unique_ptr<mailimap_flag_list, Deleter<mailimap_flag_list, mailimap_flag_list_free>>;
using CapabilityPtr =
    std::unique_ptr<mailimap_capability_data, Deleter<mailimap_capability_data, mailimap_capability_data_free>>;

bool ok(int result) {
  return result == MAILIMAP_NO_ERROR || result == MAILIMAP_NO_ERROR_AUTHENTICATED ||
         result == MAILIMAP_NO_ERROR_NON_AUTHENTICATED;
}

// Calls fn(uid, body, length) for each message in a UID FETCH answer.
template <typename Fn>
void for_each_message(clist* list, Fn&& fn) {
  for (clistiter* it = clist_begin(list); it != nullptr; it = clist_next(it)) {
    auto* message = static_cast<mailimap_msg_att*>(clist_content(it));
    uint32_t uid = 0;
    const char* body = nullptr;
    std::size_t length = 0;
    for (clistiter* a = clist_begin(message->att_list); a != nullptr; a = clist_next(a)) {
      auto* item = static_cast<mailimap_msg_att_item*>(clist_content(a));
      if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC) continue;
      mailimap_msg_att_static* att = item->att_data.att_static;
      if (att->att_type == MAILIMAP_MSG_ATT_UID) uid = att->att_data.att_uid;
      if (att->att_type == MAILIMAP_MSG_ATT_BODY_SECTION && att->att_data.att_body_section != nullptr) {
        body = att->att_data.att_body_section->sec_body_part;
        length = att->att_data.att_body_section->sec_length;
      }
    }
    fn(uid, body, length);
  }
}

}  // namespace

void ImapSession::Free::operator()(mailimap* session) const {
  if (session == nullptr) return;
  if (session->imap_stream != nullptr) mailimap_logout(session);
  mailimap_free(session);
}

ImapSession::ImapSession(const MailUrl& url, const std::string& username, const std::string& password,
                         std::chrono::seconds timeout, const std::string& ca_file)
    : session_(mailimap_new(0, nullptr)), host_(url.host) {
  if (!session_) throw std::runtime_error("imap: out of memory");
  mailimap_set_timeout(session_.get(), static_cast<time_t>(timeout.count()));
  int r = url.implicit_tls ? mailimap_ssl_connect(session_.get(), url.host.c_str(), url.port)
                           : mailimap_socket_connect(session_.get(), url.host.c_str(), url.port);
  check(r, "connect");
  if (url.implicit_tls) verify_server_certificate(session_->imap_stream, url.host, ca_file);
  mailimap_capability_data* caps = nullptr;
  check(mailimap_capability(session_.get(), &caps), "CAPABILITY");
  CapabilityPtr owned_caps(caps);
  if (!url.implicit_tls && mailimap_has_extension(session_.get(), const_cast<char*>("STARTTLS")) != 0) {
    check(mailimap_socket_starttls(session_.get()), "STARTTLS");
    verify_server_certificate(session_->imap_stream, url.host, ca_file);  // before the password goes out
  }
  check(mailimap_login(session_.get(), username.c_str(), password.c_str()), "LOGIN");
  // Capabilities may change after login (IDLE is often announced only then).
  caps = nullptr;
  check(mailimap_capability(session_.get(), &caps), "CAPABILITY");
  owned_caps.reset(caps);
}

ImapSession::~ImapSession() = default;

void ImapSession::check(int result, const char* what) const {
  if (ok(result)) return;
  std::string detail;
  if (session_ && session_->imap_response != nullptr) detail = std::string(": ") + session_->imap_response;
  throw std::runtime_error("imap " + host_ + ": " + what + " failed (libetpan " + std::to_string(result) + ")" +
                           detail);
}

MailboxStatus ImapSession::select(const std::string& folder) {
  check(mailimap_select(session_.get(), folder.c_str()), "SELECT");
  mailimap_selection_info* info = session_->imap_selection_info;
  if (info == nullptr) throw std::runtime_error("imap: SELECT gave no selection info");
  return {info->sel_uidvalidity, info->sel_uidnext};
}

std::vector<uint32_t> ImapSession::uids_after(uint32_t after) {
  SetPtr set(mailimap_set_new_interval(after + 1, 0));  // after+1:*
  FetchTypePtr type(mailimap_fetch_type_new_fetch_att_list_empty());
  mailimap_fetch_type_new_fetch_att_list_add(type.get(), mailimap_fetch_att_new_uid());
  clist* raw = nullptr;
  int r = mailimap_uid_fetch(session_.get(), set.get(), type.get(), &raw);
  FetchList list(raw);
  check(r, "UID FETCH (UID)");
  std::vector<uint32_t> uids;
  // "n:*" always matches the highest message, even when its UID is below n.
  for_each_message(list.get(), [&](uint32_t uid, const char*, std::size_t) {
    if (uid > after) uids.push_back(uid);
  });
  std::sort(uids.begin(), uids.end());
  return uids;
}

std::string ImapSession::fetch(uint32_t uid) {
  SetPtr set(mailimap_set_new_single(uid));
  FetchTypePtr type(mailimap_fetch_type_new_fetch_att_list_empty());
  mailimap_fetch_type_new_fetch_att_list_add(type.get(), mailimap_fetch_att_new_uid());
  mailimap_fetch_type_new_fetch_att_list_add(type.get(),
                                             mailimap_fetch_att_new_body_peek_section(mailimap_section_new(nullptr)));
  clist* raw = nullptr;
  int r = mailimap_uid_fetch(session_.get(), set.get(), type.get(), &raw);
  FetchList list(raw);
  check(r, "UID FETCH (BODY.PEEK[])");
  std::string out;
  for_each_message(list.get(), [&](uint32_t got, const char* body, std::size_t length) {
    if (got == uid && body != nullptr) out.assign(body, length);
  });
  return out;
}

bool ImapSession::has_idle() const { return mailimap_has_idle(session_.get()) != 0; }

bool ImapSession::idle(std::chrono::milliseconds timeout, int wake_fd) {
  check(mailimap_idle(session_.get()), "IDLE");
  pollfd fds[2] = {{mailimap_idle_get_fd(session_.get()), POLLIN, 0}, {wake_fd, POLLIN, 0}};
  int n = ::poll(fds, 2, static_cast<int>(timeout.count()));
  bool woken = n > 0 && (fds[1].revents & POLLIN) != 0;
  check(mailimap_idle_done(session_.get()), "DONE");
  return woken;
}

void ImapSession::append(const std::string& folder, const std::string& message) {
  FlagListPtr flags(mailimap_flag_list_new_empty());
  mailimap_flag_list_add(flags.get(), mailimap_flag_new_seen());
  check(mailimap_append(session_.get(), folder.c_str(), flags.get(), nullptr, message.data(), message.size()),
        "APPEND");
}

}  // namespace switchboard::plugins::email
