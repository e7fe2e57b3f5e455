// Lookup and cache policy of the embedded web files.
#include "web/asset_catalog.hpp"

namespace switchboard::web {
namespace {

// Module imports use stable names (no hashes in file names), so browsers
// revalidate every file with its ETag: a 304 costs one round trip and a new
// binary can never leave a stale mix of old and new modules.
constexpr std::string_view kRevalidate = "no-cache";

bool etag_matches(std::string_view header, std::string_view etag) {
  if (header.empty()) return false;
  if (header == "*") return true;
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(',', start);
    std::string_view item = header.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == etag) return true;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return false;
}

}  // namespace

AssetCatalog::AssetCatalog(const std::vector<EmbeddedAsset>& assets) {
  for (const auto& asset : assets) by_path_.emplace(std::string(asset.path), asset);
}

AssetResponse AssetCatalog::lookup(std::string_view path, std::string_view if_none_match) const {
  if (path == "/" || path == "/reports" || path == "/login") path = "/index.html";
  auto it = by_path_.find(path);
  if (it == by_path_.end()) return {};
  const EmbeddedAsset& asset = it->second;
  AssetResponse out{200, asset.content_type, asset.etag, asset.body, kRevalidate};
  if (etag_matches(if_none_match, asset.etag)) {
    out.status = 304;
    out.body = {};
  }
  return out;
}

const std::vector<std::pair<std::string, std::string>>& AssetCatalog::security_headers() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
  };
  return kHeaders;
}

}  // namespace switchboard::web
