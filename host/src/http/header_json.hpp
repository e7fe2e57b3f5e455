// Request headers as the JSON object channels receive (sb_http_request_v1's
// headers_json). Pure; any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::http {

// Lower-case names; a name given more than once gets its values joined with
// ", " in arrival order (RFC 9110 §5.3). Names and values are made valid UTF-8
// (invalid bytes become U+FFFD) so the object always serialises: header bytes
// come from the network, and channels sign over the body, never headers.
nlohmann::json header_json(const std::vector<std::pair<std::string_view, std::string_view>>& headers);

// `text` unchanged when it is valid UTF-8, else with each invalid byte
// replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace switchboard::http
