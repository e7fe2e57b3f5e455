// The agent REST API under /api/v1 (docs/api.md): JSON in and out, bearer
// tokens from POST /api/v1/login, roles and departments enforced by the
// Desk, and a Server-Sent Events stream of changes the caller may see.
//
// Threads: handlers run on the HTTP server's pool, concurrently.
#pragma once

#include "http/http_server.hpp"
#include "team/desk.hpp"

namespace switchboard::api {

// Routes for HttpServerOptions::routes; `desk` must outlive the server.
http::RouteInstaller agent_api_routes(team::Desk& desk);

}  // namespace switchboard::api
