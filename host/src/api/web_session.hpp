// How a request proves who it is. API clients send "Authorization: Bearer";
// the web inbox holds the same token in an HttpOnly, SameSite=Strict cookie
// (script never sees it, so an XSS bug cannot steal it) and, for every
// state-changing request, a CSRF header derived from the token (double
// submit without server-side state; team::csrf_token).
//
// Threads: stateless functions; any thread.
#pragma once

#include <cstdint>
#include <string>

namespace switchboard::api {

inline constexpr const char* kSessionCookie = "sb_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

struct SessionCredential {
  std::string token;    // "" when the request carries none
  bool cookie = false;  // from the session cookie, not the Authorization header
};

// The bearer token when present (it wins), else the session cookie's.
SessionCredential session_credential(const std::string& authorization_header, const std::string& cookie_header);

// Safe methods need no CSRF header; the others, when authenticated by the
// cookie, must carry the token's CSRF value.
bool csrf_satisfied(const SessionCredential& credential, const std::string& method, const std::string& csrf_header);

// Set-Cookie values: the session for `max_age_s` seconds, and its removal.
// `secure` adds Secure (behind TLS); plain-http loopback demos go without.
std::string session_cookie(const std::string& token, int64_t max_age_s, bool secure);
std::string expired_session_cookie();

}  // namespace switchboard::api
