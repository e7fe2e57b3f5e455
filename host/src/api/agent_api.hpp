// The agent REST API under /api/v1 (docs/api.md): JSON in and out, bearer
// tokens from POST /api/v1/login, roles and departments enforced by the
// Desk, and a Server-Sent Events stream of changes the caller may see.
//
// Threads: handlers run on the HTTP server's pool, concurrently.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "http/http_server.hpp"
#include "team/desk.hpp"

namespace switchboard::api {

// The channel's send window for a reply now in a conversation of `inbox`
// whose customer last wrote at `last_inbound_at` (outbox::SendWindow JSON).
using SendWindowSource = std::function<nlohmann::json(const std::string& inbox, int64_t last_inbound_at)>;

// Routes for HttpServerOptions::routes; `desk` must outlive the server.
// Without `send_window` conversations carry no "send_window".
http::RouteInstaller agent_api_routes(team::Desk& desk, SendWindowSource send_window = nullptr);

}  // namespace switchboard::api
