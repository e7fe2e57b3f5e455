// The reply code decides retry vs dead letter (RFC 5321 §4.2.1): 4yz is
// transient, 5yz permanent; a connection that never got an answer is
// transient too (the server may be restarting).
#include "smtp_sender.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace switchboard::plugins::email {
namespace {

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t read_chunk(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, upload->data->size() - upload->offset);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// Keeps the server's reply lines: the one with the final code carries the reason.
int keep_reply(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (!line.empty()) static_cast<std::vector<std::string>*>(user)->push_back(line);
  return 0;
}

// The last reply line with `code` (curl sends QUIT after a failure, so the
// very last line is usually "221 Bye").
std::string reply_with(const std::vector<std::string>& lines, long code) {
  std::string prefix = std::to_string(code);
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (code > 0 && it->compare(0, prefix.size(), prefix) == 0) return *it;
  }
  return {};
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

SmtpOutcome smtp_send(const SmtpSettings& settings, const std::string& from, const std::string& to,
                      const std::string& message) {
  global_init();
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  SmtpOutcome out;
  if (!curl) return out.transient = true, out.message = "curl_easy_init failed", out;
  std::unique_ptr<curl_slist, SlistFree> rcpt(curl_slist_append(nullptr, ("<" + to + ">").c_str()));
  Upload upload{&message};
  std::vector<std::string> replies;
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, settings.url.c_str());
  if (!settings.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));  // STARTTLS when offered
  // Peer and host verification are curl's defaults and stay on; a private CA
  // replaces the system store rather than switching checks off.
  if (!settings.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + from + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_chunk);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, &keep_reply);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &replies);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // needed for the debug callback; it writes nowhere else

  CURLcode result = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.code);
  std::string last_reply = reply_with(replies, out.code);
  if (result == CURLE_OK) {
    out.delivered = true;
    out.message = last_reply;
    return out;
  }
  out.message = last_reply.empty() ? std::string(error[0] ? error : curl_easy_strerror(result)) : last_reply;
  out.transient = out.code < 500 || out.code >= 600;  // 4xx, or no SMTP answer at all
  return out;
}

}  // namespace switchboard::plugins::email
