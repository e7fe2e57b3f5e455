// Serves the web inbox (AssetCatalog) at / through the HTTP server: the thin,
// server-specific part.
//
// Threads: handlers run on the HTTP server's pool, concurrently.
#pragma once

#include "http/http_server.hpp"

namespace switchboard::web {

// Routes for HttpServerOptions::routes: GET / (and /reports, /login) and
// GET /assets/….
http::RouteInstaller web_routes();

}  // namespace switchboard::web
