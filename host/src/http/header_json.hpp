// Request headers as the JSON object channels receive (sb_http_request_v1's
// headers_json). Pure; any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::http {

// The JSON text of an object: lower-case names in byte order; a name given
// more than once gets its values joined with ", " in arrival order (RFC 9110
// §5.3). Names and values are made valid UTF-8 (invalid bytes become U+FFFD)
// so the text is always valid JSON: header bytes come from the network, and
// channels sign over the body, never headers. Written straight to text: it
// is built for every webhook, and an object built only to be serialised
// cost the network thread more than the rest of the header handling.
std::string header_json(const std::vector<std::pair<std::string_view, std::string_view>>& headers);

// `text` unchanged when it is valid UTF-8, else with each invalid byte
// replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace switchboard::http
