// Password hashing and session tokens, on libsodium.
//
// Passwords: Argon2id through crypto_pwhash_str (salt and parameters inside
// the stored string, so they can be raised later without a migration).
// Tokens: 32 random bytes shown to the client once as hex; the database only
// keeps their BLAKE2b hash, so a stolen database holds no usable token.
#pragma once

#include <string>

namespace switchboard::team {

// Throws std::runtime_error when libsodium cannot initialise or runs out of memory.
std::string hash_password(const std::string& password);
bool verify_password(const std::string& stored_hash, const std::string& password);

std::string new_token();                           // 64 hex characters
std::string token_hash(const std::string& token);  // what the database stores
// The web inbox's CSRF token for a session token: a keyed hash, so it needs
// no storage, dies with the session and cannot be turned back into the token.
std::string csrf_token(const std::string& token);

// Compares without leaking where the first difference is.
bool same_secret(const std::string& a, const std::string& b);

}  // namespace switchboard::team
