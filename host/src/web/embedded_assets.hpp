// The web inbox's files (web/ in the repository), compiled into the binary by
// cmake/embed_web_assets.cmake: one list generated at build time.
#pragma once

#include <string_view>
#include <vector>

namespace switchboard::web {

struct EmbeddedAsset {
  std::string_view path;          // "/index.html", "/assets/app.js"…
  std::string_view content_type;  // with charset for text
  std::string_view etag;          // quoted, from the file's SHA-256
  std::string_view body;
};

// Every embedded file; static storage, any thread.
const std::vector<EmbeddedAsset>& embedded_assets();

}  // namespace switchboard::web
