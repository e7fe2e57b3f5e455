// The OA access/refresh token pair (spec §3). The refresh token is single
// use and rotates, so a refresh persists the new pair (ctx.kv_set, durable
// when it returns) before anyone uses it; refreshes are single-flight per
// instance (one mutex; a waiter re-reads the pair and finds it already
// rotated); a pair close to expiry is refreshed before use. After a restart
// the newest stored pair wins over the config's — unless the operator put a
// different refresh token into the config since (a re-consent).
//
// Threads: any; every member function takes mutex_.
#pragma once

#include <switchboard/plugins/http_delivery.hpp>
#include <switchboard/sdk.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace switchboard::plugins::zalo_oa {

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  int64_t expires_at = 0;  // ms since the epoch; 0 = unknown (use until refused)
  int64_t generation = 0;  // +1 per refresh
};

struct OAuthSettings {
  HttpTarget endpoint;  // {oauth_base}/v4/oa/access_token
  std::string app_id;
  std::string app_secret;  // the secret_key header
  HttpPostOptions options;
  int64_t refresh_ahead_ms = 5LL * 3600 * 1000;  // refresh this long before expires_at
};

class TokenKeeper {
 public:
  static constexpr const char* kKey = "oauth_tokens";

  TokenKeeper(sdk::InstanceContext ctx, OAuthSettings settings, TokenPair configured);

  // From start(): adopts the stored pair, or stores the configured one.
  void load();

  // The access token to use now; refreshes first when it is due.
  std::string access_token();

  // `rejected` was refused as invalid/expired: returns a newer token,
  // refreshing unless another caller already did. Throws sdk::Error
  // (SB_ERR_RETRY when the OAuth server may recover, SB_ERR_PERMANENT when
  // an admin must re-consent).
  std::string refresh(const std::string& rejected);

  uint64_t refresh_count() const { return refreshes_.load(); }

 private:
  std::optional<TokenPair> stored() const;
  void persist(const TokenPair& pair) const;
  void refresh_locked();
  static int64_t now_ms();

  sdk::InstanceContext ctx_;
  OAuthSettings settings_;
  TokenPair configured_;
  std::string seed_;  // fingerprint of the configured refresh token

  std::mutex mutex_;
  TokenPair current_;
  std::atomic<uint64_t> refreshes_{0};
};

}  // namespace switchboard::plugins::zalo_oa
