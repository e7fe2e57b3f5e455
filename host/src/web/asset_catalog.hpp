// Path → file lookup for the web inbox, independent of the HTTP server
// library, so the server implementation can change without touching it.
//
// Threads: immutable after construction; any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "web/embedded_assets.hpp"

namespace switchboard::web {

// What to answer for one GET.
struct AssetResponse {
  int status = 404;  // 200, 304 (the client's ETag matches) or 404
  std::string_view content_type;
  std::string_view etag;
  std::string_view body;
  std::string_view cache_control;
};

class AssetCatalog {
 public:
  explicit AssetCatalog(const std::vector<EmbeddedAsset>& assets = embedded_assets());

  // `path` as requested ("/" is the inbox page); `if_none_match` the
  // request's If-None-Match header ("" when absent).
  AssetResponse lookup(std::string_view path, std::string_view if_none_match) const;

  // Headers every page and asset carries: the CSP forbids inline scripts, so
  // even a rendering bug cannot run what a customer wrote.
  static const std::vector<std::pair<std::string, std::string>>& security_headers();

 private:
  std::map<std::string, EmbeddedAsset, std::less<>> by_path_;
};

}  // namespace switchboard::web
