// JSON answers and authentication shared by the /api/v1 route files: one
// place decides what 401, 403 and the CSRF rule look like.
//
// Threads: stateless; any thread.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "team/desk.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace switchboard::api {

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
void send_error(httplib::Response& res, int status, const std::string& message);
// The body as a JSON object; on anything else answers 400 and returns a discarded value.
nlohmann::json parse_body(const httplib::Request& req, httplib::Response& res);

// The caller, or nullopt after answering 401 (no valid token) or 403 (a
// cookie session's state-changing request without its CSRF header).
std::optional<team::Principal> authenticate(team::Desk& desk, const httplib::Request& req, httplib::Response& res);

using AuthedHandler = std::function<void(const team::Principal&, const httplib::Request&, httplib::Response&)>;
using RouteHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

// Wraps a handler that needs a caller; `admin_only` answers 403 to the rest.
RouteHandler authed(team::Desk& desk, AuthedHandler handler, bool admin_only = false);

}  // namespace switchboard::api
