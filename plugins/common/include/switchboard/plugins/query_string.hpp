// URL query strings for channel plugins: webhook handshakes arrive as
// ?a=b&c=d (form-encoded), outbound API calls carry tokens in the query.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace switchboard::plugins {

// Decodes %XX escapes and '+' (form encoding: a space). A malformed escape
// is kept literally.
std::string percent_decode(std::string_view text);

// Encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view text);

// Splits "a=1&b=2" (a leading '?' is skipped) into decoded names and values.
// The first occurrence of a repeated name wins; a name without '=' maps to "".
std::map<std::string, std::string> parse_query(std::string_view query);

}  // namespace switchboard::plugins
