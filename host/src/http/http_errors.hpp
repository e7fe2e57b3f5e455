// What both HTTP servers (the Beast front and the httplib route server) say
// when they refuse a request themselves: one JSON shape, one set of reasons,
// log text that a request cannot forge. Pure; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::http {

inline constexpr const char* kJson = "application/json";
inline constexpr const char* kTextPlain = "text/plain; charset=utf-8";
inline constexpr const char* kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr const char* kWebhookMethods = "GET, POST";  // the Allow header of a 405

// {"error": message}, with invalid UTF-8 replaced.
std::string error_json(const std::string& message);

// The reason given for a refusal with `status` of a request for `path`.
std::string refusal_reason(std::string_view path, int status, std::size_t max_body_bytes);

// Control bytes escaped as \xNN, so a percent-decoded path cannot forge log lines.
std::string printable(std::string_view text);

// "host:port", with brackets around an IPv6 host.
std::string address_text(const std::string& host, std::uint16_t port);

// The log line of a refusal: "POST /x -> 404: reason (detail)".
std::string refusal_line(std::string_view method, std::string_view path, int status, const std::string& reason,
                         const std::string& detail);

}  // namespace switchboard::http
