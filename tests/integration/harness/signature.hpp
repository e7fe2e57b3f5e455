// The api channel's signature, computed independently of the plugin so the
// tests catch a plugin that signs the wrong bytes or with the wrong key.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::integration {

// Lower-case hex of HMAC-SHA256(secret, body).
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

// The X-Switchboard-Signature value for body: "sha256=<hex>".
std::string signature_header(std::string_view secret, std::string_view body);

}  // namespace switchboard::integration
