// Shared answers and authentication of the /api/v1 routes.
#include "api/api_response.hpp"

#include <httplib.h>

#include "api/web_session.hpp"

namespace switchboard::api {

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  if (status == 401) res.set_header("WWW-Authenticate", "Bearer");
  send_json(res, status, {{"error", message}});
}

nlohmann::json parse_body(const httplib::Request& req, httplib::Response& res) {
  using nlohmann::json;
  json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    send_error(res, 400, "the body must be a JSON object");
    return json(json::value_t::discarded);
  }
  return body;
}

std::optional<team::Principal> authenticate(team::Desk& desk, const httplib::Request& req, httplib::Response& res) {
  SessionCredential credential =
      session_credential(req.get_header_value("Authorization"), req.get_header_value("Cookie"));
  auto principal = desk.authenticate(credential.token);
  if (!principal) {
    send_error(res, 401, "missing, expired or revoked token; POST /api/v1/login");
    return std::nullopt;
  }
  if (!csrf_satisfied(credential, req.method, req.get_header_value(kCsrfHeader))) {
    send_error(res, 403, std::string("missing or wrong ") + kCsrfHeader + " header");
    return std::nullopt;
  }
  return principal;
}

RouteHandler authed(team::Desk& desk, AuthedHandler handler, bool admin_only) {
  return [&desk, handler = std::move(handler), admin_only](const httplib::Request& q, httplib::Response& r) {
    auto principal = authenticate(desk, q, r);
    if (!principal) return;
    if (admin_only && !principal->admin()) return send_error(r, 403, "admins only");
    handler(*principal, q, r);
  };
}

}  // namespace switchboard::api
