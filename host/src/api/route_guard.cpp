// Authentication and JSON plumbing shared by the /api/v1 route files.
#include "api/route_guard.hpp"

namespace switchboard::api {

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  if (status == 401) res.set_header("WWW-Authenticate", "Bearer");
  send_json(res, status, {{"error", message}});
}

std::string bearer(const httplib::Request& req) {
  std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.compare(0, prefix.size(), prefix) != 0) return "";
  return header.substr(prefix.size());
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

httplib::Server::Handler RouteGuard::authed(Handler handler) const {
  return [&desk = desk_, handler](const httplib::Request& q, httplib::Response& r) {
    auto principal = desk.authenticate(bearer(q));
    if (!principal) return send_error(r, 401, "missing, expired or revoked token; POST /api/v1/login");
    handler(*principal, q, r);
  };
}

httplib::Server::Handler RouteGuard::admin(Handler handler) const {
  return authed([handler](const team::Principal& p, const httplib::Request& q, httplib::Response& r) {
    if (!p.admin()) return send_error(r, 403, "admins only");
    handler(p, q, r);
  });
}

}  // namespace switchboard::api
