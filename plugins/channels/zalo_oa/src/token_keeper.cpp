// OAuth v4 refresh: POST {oauth_base}/v4/oa/access_token, header
// secret_key: <App Secret>, form refresh_token=…&app_id=…&grant_type=refresh_token;
// answer {"access_token","refresh_token","expires_in"} (expires_in a string
// in the official example; a number is accepted too).
#include "token_keeper.hpp"

#include <switchboard/plugins/query_string.hpp>
#include <switchboard/plugins/signature.hpp>

#include <chrono>

namespace switchboard::plugins::zalo_oa {
namespace {

using sdk::Json;

int64_t seconds_of(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (!s.empty() && s.size() < 12 && s.find_first_not_of("0123456789") == std::string::npos) return std::stoll(s);
  }
  return 0;
}

}  // namespace

TokenKeeper::TokenKeeper(sdk::InstanceContext ctx, OAuthSettings settings, TokenPair configured)
    : ctx_(ctx),
      settings_(std::move(settings)),
      configured_(std::move(configured)),
      seed_(sha256_hex(configured_.refresh_token).substr(0, 16)) {}

int64_t TokenKeeper::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<TokenPair> TokenKeeper::stored() const {
  std::optional<std::string> text = ctx_.kv_get(kKey);
  if (!text) return std::nullopt;
  Json json = Json::parse(*text, nullptr, false);
  if (!json.is_object() || json.value("seed", "") != seed_) return std::nullopt;
  TokenPair pair{json.value("access_token", ""), json.value("refresh_token", ""), json.value("expires_at", int64_t{0}),
                 json.value("generation", int64_t{0})};
  if (pair.access_token.empty() || pair.refresh_token.empty()) return std::nullopt;
  return pair;
}

void TokenKeeper::persist(const TokenPair& pair) const {
  Json json = {{"access_token", pair.access_token},
               {"refresh_token", pair.refresh_token},
               {"expires_at", pair.expires_at},
               {"generation", pair.generation},
               {"seed", seed_},
               {"saved_at", now_ms()}};
  ctx_.kv_set(kKey, json.dump());
}

void TokenKeeper::load() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<TokenPair> pair = stored();
  if (pair) {
    current_ = *pair;
    ctx_.info("using the stored token pair (generation " + std::to_string(current_.generation) + ")");
    return;
  }
  current_ = configured_;
  persist(current_);
  ctx_.info("using the token pair from the config");
}

std::string TokenKeeper::access_token() {
  std::lock_guard<std::mutex> lock(mutex_);
  bool due = current_.expires_at > 0 && now_ms() >= current_.expires_at - settings_.refresh_ahead_ms;
  if (!due) return current_.access_token;
  std::optional<TokenPair> newer = stored();
  if (newer && newer->generation > current_.generation) current_ = *newer;  // another instance rotated it
  due = current_.expires_at > 0 && now_ms() >= current_.expires_at - settings_.refresh_ahead_ms;
  if (!due) return current_.access_token;
  try {
    refresh_locked();
  } catch (const sdk::Error& e) {
    if (now_ms() >= current_.expires_at) throw;  // expired: nothing left to send with
    ctx_.warn(std::string("early token refresh failed; the current token is still valid: ") + e.what());
  }
  return current_.access_token;
}

std::string TokenKeeper::refresh(const std::string& rejected) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<TokenPair> newer = stored();
  if (newer && newer->generation > current_.generation) current_ = *newer;
  if (current_.access_token != rejected) return current_.access_token;  // someone refreshed meanwhile
  refresh_locked();
  return current_.access_token;
}

void TokenKeeper::refresh_locked() {
  std::string form = "refresh_token=" + percent_encode(current_.refresh_token) +
                     "&app_id=" + percent_encode(settings_.app_id) + "&grant_type=refresh_token";
  HttpOutcome outcome = post_body(settings_.endpoint, {{"secret_key", settings_.app_secret}}, form,
                                  "application/x-www-form-urlencoded", settings_.options);
  refreshes_.fetch_add(1);
  Json answer = Json::parse(outcome.body, nullptr, false);
  bool ok = outcome.status == 200 && answer.is_object() && answer.value("access_token", "") != "" &&
            answer.value("refresh_token", "") != "";
  if (!ok) {
    std::string detail = outcome.status == 0
                             ? outcome.error
                             : "HTTP " + std::to_string(outcome.status) + " " + outcome.body.substr(0, 300);
    bool oauth_error = outcome.status == 200 && answer.is_object() && answer.contains("error");
    if (oauth_error) {
      ctx_.error("alert: Zalo refused the refresh token; an OA admin must grant access again: " + detail);
      throw sdk::Error(SB_ERR_PERMANENT, "token refresh refused: " + detail);
    }
    throw sdk::Error(SB_ERR_RETRY, "token refresh failed: " + detail);
  }
  TokenPair next{answer["access_token"].get<std::string>(), answer["refresh_token"].get<std::string>(), 0,
                 current_.generation + 1};
  int64_t lifetime_s = seconds_of(answer.value("expires_in", Json()));
  if (lifetime_s > 0) next.expires_at = now_ms() + lifetime_s * 1000;
  // The old refresh token is spent: keep the new pair in memory whatever
  // happens, and make it durable before the access token is used.
  current_ = next;
  persist(current_);
  ctx_.info("token pair refreshed (generation " + std::to_string(current_.generation) + ")");
}

}  // namespace switchboard::plugins::zalo_oa
