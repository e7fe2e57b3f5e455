// cpp-httplib glue of the web inbox.
#include "web/web_routes.hpp"

#include <httplib.h>

#include <memory>

#include "web/asset_catalog.hpp"

namespace switchboard::web {

http::RouteInstaller web_routes() {
  auto catalog = std::make_shared<const AssetCatalog>();
  return [catalog](httplib::Server& server) {
    auto serve = [catalog](const httplib::Request& req, httplib::Response& res) {
      AssetResponse asset = catalog->lookup(req.path, req.get_header_value("If-None-Match"));
      for (const auto& [name, value] : AssetCatalog::security_headers()) res.set_header(name, value);
      if (asset.status == 404) {
        res.status = 404;
        res.set_content("{\"error\":\"not found\"}", "application/json");
        return;
      }
      res.status = asset.status;
      res.set_header("ETag", std::string(asset.etag));
      res.set_header("Cache-Control", std::string(asset.cache_control));
      if (asset.status == 200) res.set_content(asset.body.data(), asset.body.size(), std::string(asset.content_type));
    };
    server.Get("/", serve);
    server.Get("/login", serve);
    server.Get("/reports", serve);
    server.Get(R"(/assets/[A-Za-z0-9._-]+)", serve);
  };
}

}  // namespace switchboard::web
