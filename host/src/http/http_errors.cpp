#include "http/http_errors.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::http {

std::string error_json(const std::string& message) {
  return nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string refusal_reason(std::string_view path, int status, std::size_t max_body_bytes) {
  switch (status) {
    case 400: return "malformed request";
    case 404:
      if (path.rfind("/webhooks/", 0) == 0) return "no such path; inbox ids match [a-z0-9][a-z0-9_-]{0,63}";
      return "no such path";
    case 405: return "method not allowed; use GET or POST";
    case 413: return "request body larger than " + std::to_string(max_body_bytes) + " bytes";
    case 414: return "request URI too long";
    case 415: return "multipart/form-data is not accepted on webhooks (the raw body is needed)";
    default: return "HTTP status " + std::to_string(status);
  }
}

std::string printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      out += c;
      continue;
    }
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

std::string address_text(const std::string& host, std::uint16_t port) {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string refusal_line(std::string_view method, std::string_view path, int status, const std::string& reason,
                         const std::string& detail) {
  std::string line = method.empty() ? "(unparsable request)" : std::string(method) + " " + printable(path);
  line += " -> " + std::to_string(status) + ": " + reason;
  if (!detail.empty()) line += " (" + printable(detail) + ")";
  return line;
}

}  // namespace switchboard::http
