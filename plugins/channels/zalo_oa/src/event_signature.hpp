// X-ZEvent-Signature: mac = sha256(app_id + raw body + body timestamp + OA
// secret key), plain SHA-256 in lower-case hex (spec §1.3). The header value
// is parsed leniently ("mac=<hex>", "mac = <hex>", bare hex; any case) and
// compared in constant time.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::plugins::zalo_oa {

// The expected hex digest for a body whose "timestamp" member is `timestamp`.
std::string event_mac(std::string_view first_term, std::string_view raw_body, std::string_view timestamp,
                      std::string_view secret);

// The hex digest out of a header value; "" when it has none.
std::string mac_of_header(std::string_view header);

// True when `header` carries the mac of this body.
bool signature_matches(std::string_view header, std::string_view first_term, std::string_view raw_body,
                       std::string_view timestamp, std::string_view secret);

}  // namespace switchboard::plugins::zalo_oa
