// The web inbox's file lookup, without any HTTP server.
#include <doctest/doctest.h>

#include "web/asset_catalog.hpp"

using switchboard::web::AssetCatalog;
using switchboard::web::EmbeddedAsset;

namespace {

const std::vector<EmbeddedAsset> kFiles = {
    {"/index.html", "text/html; charset=utf-8", "\"abc\"", "<!doctype html>"},
    {"/assets/app.js", "text/javascript; charset=utf-8", "\"def\"", "export {};"},
};

}  // namespace

TEST_CASE("the inbox page answers at / and at its client-side routes") {
  AssetCatalog catalog(kFiles);
  for (const char* path : {"/", "/reports", "/login", "/index.html"}) {
    auto found = catalog.lookup(path, "");
    CHECK(found.status == 200);
    CHECK(found.body == "<!doctype html>");
    CHECK(found.content_type == "text/html; charset=utf-8");
  }
}

TEST_CASE("assets carry their ETag; a matching If-None-Match gets 304 without a body") {
  AssetCatalog catalog(kFiles);
  auto fresh = catalog.lookup("/assets/app.js", "");
  CHECK(fresh.status == 200);
  CHECK(fresh.etag == "\"def\"");
  CHECK(fresh.cache_control == "no-cache");
  CHECK(catalog.lookup("/assets/app.js", "\"def\"").status == 304);
  CHECK(catalog.lookup("/assets/app.js", "\"old\", W/\"def\"").status == 304);
  CHECK(catalog.lookup("/assets/app.js", "\"old\"").status == 200);
  CHECK(catalog.lookup("/assets/app.js", "\"old\"").body == "export {};");
}

TEST_CASE("unknown paths are 404") {
  AssetCatalog catalog(kFiles);
  CHECK(catalog.lookup("/assets/missing.js", "").status == 404);
  CHECK(catalog.lookup("/../etc/passwd", "").status == 404);
}

TEST_CASE("the CSP forbids inline scripts and framing") {
  bool found = false;
  for (const auto& [name, value] : AssetCatalog::security_headers()) {
    if (name != "Content-Security-Policy") continue;
    found = true;
    CHECK(value.find("script-src 'self';") != std::string::npos);
    CHECK(value.find("frame-ancestors 'none'") != std::string::npos);
  }
  CHECK(found);
}

TEST_CASE("the embedded build holds the inbox page and its entry module") {
  AssetCatalog catalog;
  CHECK(catalog.lookup("/", "").status == 200);
  CHECK(catalog.lookup("/assets/app.js", "").status == 200);
  CHECK(catalog.lookup("/assets/app.css", "").content_type == "text/css; charset=utf-8");
}
