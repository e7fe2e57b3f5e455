// Webhook and callback signatures shared by first-party channel plugins:
// HMAC-SHA256 (api channel, Messenger), plain SHA-256 (Zalo OA), and a
// constant-time comparison so a forged signature leaks nothing by timing.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::plugins {

// Lower-case hex of HMAC-SHA256(key, data).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Lower-case hex of SHA-256(data).
std::string sha256_hex(std::string_view data);

// Compares two hex digests in constant time, ignoring ASCII case.
bool hex_digest_equal(std::string_view expected, std::string_view given);

// Compares two secrets (tokens) in constant time for equal lengths; a length
// difference returns false at once (it leaks the length, nothing else).
bool constant_time_equal(std::string_view expected, std::string_view given);

}  // namespace switchboard::plugins
