// The canned responses of the config, filtered by the caller's departments;
// texts unrendered (the reply action renders them for its conversation).
#include "api/canned_routes.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "api/route_guard.hpp"

namespace switchboard::api {

http::RouteInstaller canned_routes(team::Desk& desk) {
  auto guard = std::make_shared<RouteGuard>(desk);
  return [guard, &desk](httplib::Server& server) {
    server.Get("/api/v1/canned_responses",
               guard->authed([&desk](const team::Principal& p, const httplib::Request&, httplib::Response& r) {
                 nlohmann::json out = nlohmann::json::array();
                 for (const auto& c : desk.team()->canned_responses) {
                   if (c.usable_by(p.departments, p.admin())) {
                     out.push_back({{"id", c.id}, {"title", c.title}, {"text", c.text}});
                   }
                 }
                 send_json(r, 200, out);
               }));
  };
}

}  // namespace switchboard::api
