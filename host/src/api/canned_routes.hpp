// GET /api/v1/canned_responses: the replies the caller may pick
// (docs/api.md). Replying with one is the reply action's "canned_id".
//
// Threads: handlers run on the HTTP server's pool, concurrently.
#pragma once

#include "http/http_server.hpp"
#include "team/desk.hpp"

namespace switchboard::api {

// Routes for HttpServerOptions::routes; `desk` must outlive the server.
http::RouteInstaller canned_routes(team::Desk& desk);

}  // namespace switchboard::api
