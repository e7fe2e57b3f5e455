// GET /api/v1/reports (docs/api.md, "Reports"): the managers' numbers over a
// date range, as JSON or CSV (?format=csv). Admins only. Also GET
// /api/v1/inboxes (every agent), from the same view of the running config.
//
// Threads: handlers run on the HTTP server's pool, concurrently.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "http/http_server.hpp"
#include "team/desk.hpp"

namespace switchboard::api {

// What the running config says the reports need: its time zone (days are
// cut at local midnight) and each inbox's channel plugin.
struct ReportSettings {
  std::string timezone = "Asia/Ho_Chi_Minh";
  std::map<std::string, std::string> inbox_channels;
};
using ReportSettingsSource = std::function<ReportSettings()>;

// Routes for HttpServerOptions::routes; `desk` must outlive the server.
http::RouteInstaller report_api_routes(team::Desk& desk, ReportSettingsSource settings);

}  // namespace switchboard::api
