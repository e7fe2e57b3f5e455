// What every /api/v1 route shares: JSON answers and errors, the bearer
// token, and wrapping a handler so it runs only for an authenticated agent
// (401 otherwise) or an admin (403). Route files (agent_api, canned_routes…)
// each install their own routes with it.
//
// Threads: handlers run on the HTTP server's pool, concurrently; the guard
// only reads its desk reference.
#pragma once

#include <httplib.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "team/desk.hpp"

namespace switchboard::api {

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
void send_error(httplib::Response& res, int status, const std::string& message);
std::string bearer(const httplib::Request& req);
// The body as a JSON object; on anything else answers 400 and returns a discarded value.
nlohmann::json parse_body(const httplib::Request& req, httplib::Response& res);

class RouteGuard {
 public:
  using Handler = std::function<void(const team::Principal&, const httplib::Request&, httplib::Response&)>;

  explicit RouteGuard(team::Desk& desk) : desk_(desk) {}

  httplib::Server::Handler authed(Handler handler) const;
  httplib::Server::Handler admin(Handler handler) const;

 private:
  team::Desk& desk_;
};

}  // namespace switchboard::api
