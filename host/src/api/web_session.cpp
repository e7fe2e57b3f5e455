// Cookie parsing and the CSRF rule of the web inbox's session.
#include "api/web_session.hpp"

#include "team/credentials.hpp"

namespace switchboard::api {
namespace {

std::string cookie_value(const std::string& header, const std::string& name) {
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::size_t first = header.find_first_not_of(' ', start);
    if (first != std::string::npos && first < end) {
      std::string pair = header.substr(first, end - first);
      if (pair.compare(0, name.size() + 1, name + "=") == 0) return pair.substr(name.size() + 1);
    }
    start = end + 1;
  }
  return "";
}

// The cookie is scoped to the API: pages and assets never carry it.
constexpr const char* kCookieAttributes = "; Path=/api/v1; HttpOnly; SameSite=Strict";

}  // namespace

SessionCredential session_credential(const std::string& authorization_header, const std::string& cookie_header) {
  const std::string prefix = "Bearer ";
  if (authorization_header.compare(0, prefix.size(), prefix) == 0) {
    return {authorization_header.substr(prefix.size()), false};
  }
  std::string token = cookie_value(cookie_header, kSessionCookie);
  return {token, !token.empty()};
}

bool csrf_satisfied(const SessionCredential& credential, const std::string& method, const std::string& csrf_header) {
  if (!credential.cookie) return true;  // a bearer header cannot be sent by another site's form
  if (method == "GET" || method == "HEAD") return true;
  return team::same_secret(csrf_header, team::csrf_token(credential.token));
}

std::string session_cookie(const std::string& token, int64_t max_age_s, bool secure) {
  return std::string(kSessionCookie) + "=" + token + kCookieAttributes + "; Max-Age=" + std::to_string(max_age_s) +
         (secure ? "; Secure" : "");
}

std::string expired_session_cookie() { return std::string(kSessionCookie) + "=" + kCookieAttributes + "; Max-Age=0"; }

}  // namespace switchboard::api
