// The canned responses of the config, filtered by the caller's departments;
// texts unrendered (the reply action renders them for its conversation).
#include "api/canned_routes.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "api/api_response.hpp"

namespace switchboard::api {

http::RouteInstaller canned_routes(team::Desk& desk) {
  return [&desk](httplib::Server& server) {
    server.Get("/api/v1/canned_responses",
               authed(desk, [&desk](const team::Principal& p, const httplib::Request&, httplib::Response& r) {
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
