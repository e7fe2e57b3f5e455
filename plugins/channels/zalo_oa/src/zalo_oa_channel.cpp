// zalo_oa — a Zalo Official Account through a Zalo App (spec §1–§4).
// Inbound: signed webhook events (X-ZEvent-Signature), one per POST.
// Outbound: consultation messages (POST {api_base}/v3.0/oa/message/cs, header
// access_token), inside the 7-day interaction window; 48 h – 7 d is billable.
#include <switchboard/plugins/http_delivery.hpp>
#include <switchboard/plugins/query_string.hpp>
#include <switchboard/plugins/signature.hpp>
#include <switchboard/sdk.hpp>

#include <chrono>
#include <map>
#include <memory>

#include "event_signature.hpp"
#include "open_api.hpp"
#include "profile_fetcher.hpp"
#include "token_keeper.hpp"
#include "webhook_events.hpp"

namespace switchboard::plugins::zalo_oa {

// Thread-safe: configuration is read-only after the constructor; tokens and
// the profile queue guard themselves.
class ZaloOaChannel : public sdk::Channel {
 public:
  static constexpr const char* kName = "zalo_oa";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Zalo Official Account: signed webhooks in, Open API v3 CS messages out";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE;
  static constexpr std::array kFields{
      sdk::field("app_id", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr,
                 "Zalo App id: first term of the webhook MAC; events for other apps are refused"),
      sdk::field("oa_id", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr,
                 "The OA this inbox serves; events for other OAs are dropped (\"\" accepts any)"),
      sdk::field("oa_secret_key", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, nullptr,
                 "OA Secret Key: last term of the webhook MAC (not the App Secret)"),
      sdk::field("app_secret", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, nullptr,
                 "App Secret: the secret_key header of OAuth token refreshes"),
      sdk::field("access_token", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, nullptr,
                 "OA access token to start with; rotated ones are kept in the instance's key-value store"),
      sdk::field("refresh_token", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, nullptr,
                 "OA refresh token to start with (single use; a different one here means a re-consent)"),
      sdk::field("api_base", SB_FIELD_STRING, 0, "\"https://openapi.zalo.me\"",
                 "Open API origin (tests point it at a local stand-in)"),
      sdk::field("oauth_base", SB_FIELD_STRING, 0, "\"https://oauth.zaloapp.com\"", "OAuth v4 origin"),
      sdk::field("signature_first_term", SB_FIELD_STRING, 0, "\"app_id\"",
                 "First term of the webhook MAC: \"app_id\" (official SDKs) or \"oa_id\" (one unconfirmed report)"),
      sdk::field(
          "signature_secret", SB_FIELD_STRING, 0, "\"oa_secret_key\"",
          "Last term of the webhook MAC: \"oa_secret_key\" (confirmed) or \"app_secret\" (one secondary source)"),
      sdk::field("timeout_ms", SB_FIELD_INTEGER, 0, "10000", "Read timeout of one Open API call"),
      sdk::field("max_text_length", SB_FIELD_INTEGER, 0, "2000",
                 "Longer texts (NFC code points) are split on word boundaries into several messages"),
      sdk::field("window_days", SB_FIELD_INTEGER, 0, "7",
                 "Consultation messages are refused this many days after the user's last interaction"),
      sdk::field("free_window_hours", SB_FIELD_INTEGER, 0, "48",
                 "Sends later than this after the last interaction are reported billable"),
      sdk::field("refresh_ahead_minutes", SB_FIELD_INTEGER, 0, "300",
                 "Refresh the access token this long before it expires (25 h lifetime: ~20 h)"),
      sdk::field("rate_limit_retry_ms", SB_FIELD_INTEGER, 0, "60000", "Retry delay after error -32 (rate limit)"),
      sdk::field("fetch_profile", SB_FIELD_BOOLEAN, 0, "true",
                 "Fetch display name and avatar of new users (user/detail) in the background"),
      sdk::field("profile_timeout_ms", SB_FIELD_INTEGER, 0, "3000", "Read timeout of one user/detail call"),
      sdk::field("quote_in_reply_to", SB_FIELD_BOOLEAN, 0, "false",
                 "Quote the answered user message (quote_message_id = in_reply_to) when the reply names none"),
      sdk::field("appsecret_proof", SB_FIELD_BOOLEAN, 0, "false",
                 "Send the appsecret_proof header (HMAC-SHA256 of the access token with the App Secret)"),
  };
  static constexpr std::size_t kMaxButtons = 5;

  ZaloOaChannel(sdk::InstanceContext ctx, const sdk::Json& config)
      : ctx_(ctx),
        identity_{config.at("app_id").get<std::string>(), config.at("oa_id").get<std::string>()},
        app_secret_(config.at("app_secret").get<std::string>()) {
    if (identity_.app_id.empty()) throw sdk::ConfigError("app_id: required");
    std::string oa_secret = config.at("oa_secret_key").get<std::string>();
    if (oa_secret.empty() || app_secret_.empty()) throw sdk::ConfigError("oa_secret_key and app_secret: required");
    std::string first = config.at("signature_first_term").get<std::string>();
    std::string secret = config.at("signature_secret").get<std::string>();
    if (first != "app_id" && first != "oa_id") throw sdk::ConfigError("signature_first_term: \"app_id\" or \"oa_id\"");
    if (secret != "oa_secret_key" && secret != "app_secret") {
      throw sdk::ConfigError("signature_secret: \"oa_secret_key\" or \"app_secret\"");
    }
    mac_first_term_ = first == "app_id" ? identity_.app_id : identity_.oa_id;
    mac_secret_ = secret == "oa_secret_key" ? oa_secret : app_secret_;
    api_ = origin_of(config, "api_base");
    options_.read_timeout = std::chrono::milliseconds(positive(config, "timeout_ms"));
    profile_options_.read_timeout = std::chrono::milliseconds(positive(config, "profile_timeout_ms"));
    max_text_length_ = static_cast<std::size_t>(positive(config, "max_text_length"));
    window_.window_ms = positive(config, "window_days") * 24 * 3600 * 1000;
    window_.free_ms = positive(config, "free_window_hours") * 3600 * 1000;
    retry_.rate_limit_ms = positive(config, "rate_limit_retry_ms");
    quote_in_reply_to_ = config.at("quote_in_reply_to").get<bool>();
    appsecret_proof_ = config.at("appsecret_proof").get<bool>();

    OAuthSettings oauth{origin_of(config, "oauth_base"), identity_.app_id, app_secret_, options_,
                        positive(config, "refresh_ahead_minutes") * 60 * 1000};
    oauth.endpoint.path = path_prefix(oauth.endpoint) + "/v4/oa/access_token";
    TokenPair configured{config.at("access_token").get<std::string>(), config.at("refresh_token").get<std::string>(), 0,
                         0};
    if (configured.access_token.empty() || configured.refresh_token.empty()) {
      throw sdk::ConfigError("access_token and refresh_token: required");
    }
    tokens_ = std::make_unique<TokenKeeper>(ctx, std::move(oauth), std::move(configured));
    if (config.at("fetch_profile").get<bool>()) {
      profiles_ = std::make_unique<ProfileFetcher>(ctx, [this](const std::string& user) { return user_detail(user); });
    }
  }

  void start() override {
    tokens_->load();
    if (profiles_) profiles_->start();
  }
  void stop() override {
    if (profiles_) profiles_->stop();
  }

  void on_http(sdk::HttpCall& call, const sdk::HttpRequest& request) override {
    if (request.method != "POST") return respond(call, 405, "use POST");
    auto body = sdk::Json::parse(request.body, nullptr, false);
    bool probe = request.body.empty() || (body.is_object() && !body.contains("event_name"));
    if (probe) {
      call.info("webhook registration probe acknowledged");
      return call.respond(200, "application/json", "{\"ok\":true}");
    }
    if (!body.is_object()) {
      if (verified_or_401(call, request, "")) respond(call, 400, "body is not a JSON object");
      return;
    }
    std::string timestamp = id_text(body.value("timestamp", body.value("timeStamp", sdk::Json())));
    if (!verified_or_401(call, request, timestamp)) return;
    std::string app = id_text(body.value("app_id", sdk::Json()));
    if (!app.empty() && app != identity_.app_id) {
      call.warn("rejected webhook for app_id " + app + " (this inbox serves " + identity_.app_id + ")");
      return respond(call, 401, "app_id is not this inbox's app");
    }
    WebhookEvent event = to_event(body, identity_);
    if (event.event.is_null()) {
      call.info("webhook event ignored: " + event.ignored);
      return call.respond(200, "application/json", "{\"ok\":true}");
    }
    call.submit_inbound(event.event);
    if (profiles_ && !event.profile_user.empty()) profiles_->seen(event.profile_user);
    call.respond(200, "application/json", "{\"ok\":true}");
  }

  void may_send(sdk::SendCall& call, const sdk::Json& outbound) override {
    WindowDecision d = window_for(call, outbound);
    // The window's ends let the web inbox show "còn 31 giờ" before sending.
    sdk::Json result = {{"free_until", d.free_until}, {"closes_at", d.closes_at}};
    if (d.billable) {
      result["billable"] = true;
      result["billing"] = "zalo_cs_after_free_window";
    }
    call.set_result(result);
  }

  void send(sdk::SendCall& call, const sdk::Json& outbound) override {
    window_for(call, outbound);
    std::string recipient = id_text(outbound.value("recipient", sdk::Json::object()).value("id", sdk::Json()));
    if (recipient.empty()) throw sdk::Error(SB_ERR_PERMANENT, "outbound has no recipient.id");
    std::vector<sdk::Json> messages = messages_of(call, outbound);
    if (messages.empty()) throw sdk::Error(SB_ERR_PERMANENT, "outbound has neither text nor attachments");

    // Several messages: remember which went out, so a retry does not repeat them.
    std::string progress_key = "send:" + outbound.value("idempotency_key", std::string());
    bool tracked = messages.size() > 1 && progress_key != "send:";
    sdk::Json ids = tracked ? progress_of(call, progress_key) : sdk::Json::array();
    for (std::size_t i = ids.size(); i < messages.size(); ++i) {
      sdk::Json request = {{"recipient", {{"user_id", recipient}}}, {"message", messages[i]}};
      ids.push_back(post_cs(call, request.dump()));
      if (tracked && i + 1 < messages.size()) call.kv_set(progress_key, ids.dump());
    }
    if (tracked) call.kv_erase(progress_key);
    call.set_result({{"message_id", ids.back()}, {"message_ids", ids}});
  }

  uint64_t token_refreshes() const { return tokens_->refresh_count(); }

 private:
  static int64_t positive(const sdk::Json& config, const char* key) {
    int64_t value = config.at(key).get<int64_t>();
    if (value <= 0) throw sdk::ConfigError(std::string(key) + ": must be positive");
    return value;
  }

  static HttpTarget origin_of(const sdk::Json& config, const char* key) {
    std::string base = config.at(key).get<std::string>();
    while (!base.empty() && base.back() == '/') base.pop_back();
    HttpTarget target;
    if (!parse_http_url(base, target)) throw sdk::ConfigError(std::string(key) + ": not an http(s) URL");
    return target;
  }
  static std::string path_prefix(const HttpTarget& t) { return t.path == "/" ? std::string() : t.path; }
  HttpTarget api_path(const std::string& path) const { return {api_.origin, path_prefix(api_) + path}; }

  static int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  static void respond(sdk::HttpCall& call, int status, const std::string& reason) {
    call.respond(status, "application/json", sdk::Json{{"error", reason}}.dump());
  }

  bool verified_or_401(sdk::HttpCall& call, const sdk::HttpRequest& request, const std::string& timestamp) {
    std::string header = request.header("x-zevent-signature");
    if (!header.empty() && signature_matches(header, mac_first_term_, request.body, timestamp, mac_secret_)) {
      return true;
    }
    // A run of these means a wrong secret or formula: Zalo disables the webhook after its retries.
    call.warn("rejected webhook: missing or wrong X-ZEvent-Signature" +
              std::string(header.empty() ? " (header absent)" : ""));
    respond(call, 401, "missing or wrong X-ZEvent-Signature");
    return false;
  }

  WindowDecision window_for(sdk::SendCall& call, const sdk::Json& outbound) const {
    const sdk::Json& last = outbound.value("last_inbound_at", sdk::Json(0));
    int64_t last_inbound_at = last.is_number() ? last.get<int64_t>() : 0;
    WindowDecision d = decide_window(last_inbound_at, now_ms(), window_);
    if (d.allowed) return d;
    call.set_result({{"code", d.code}});
    throw sdk::Error(SB_ERR_PERMANENT, d.reason);
  }

  sdk::Json progress_of(sdk::SendCall& call, const std::string& key) const {
    std::optional<std::string> text = call.kv_get(key);
    sdk::Json ids = text ? sdk::Json::parse(*text, nullptr, false) : sdk::Json::array();
    return ids.is_array() ? ids : sdk::Json::array();
  }

  std::string nfc(sdk::SendCall& call, const std::string& text) const {
    try {
      return call.fold(text, SB_TEXT_NFC);
    } catch (const sdk::Error& e) {
      if (e.status() == SB_ERR_INVALID) throw sdk::Error(SB_ERR_PERMANENT, "reply text is not valid UTF-8");
      return text;  // a host without text_fold: sent as given
    }
  }

  // Text pieces first (quote on the first, buttons on the last), then one
  // message per image; other attachments travel as links in a text.
  std::vector<sdk::Json> messages_of(sdk::SendCall& call, const sdk::Json& outbound) const {
    std::vector<sdk::Json> out;
    for (std::string& piece : split_text(nfc(call, outbound.value("text", "")), max_text_length_)) {
      out.push_back({{"text", std::move(piece)}});
    }
    std::string quote = outbound.value("quote_message_id", "");
    if (quote.empty() && quote_in_reply_to_) quote = outbound.value("in_reply_to", "");
    if (!out.empty() && !quote.empty()) out.front()["quote_message_id"] = quote;
    sdk::Json buttons = buttons_of(call, outbound);
    if (!buttons.empty()) {
      if (out.empty()) out.push_back({{"text", nfc(call, outbound.value("buttons_text", "Mời bạn chọn:"))}});
      out.back()["attachment"] = {{"type", "template"}, {"payload", {{"buttons", buttons}}}};
    }
    auto attachments = outbound.find("attachments");
    if (attachments == outbound.end() || !attachments->is_array()) return out;
    for (const sdk::Json& a : *attachments) {
      std::string url = a.is_object() ? a.value("url", "") : "";
      if (url.empty()) continue;
      if (a.value("type", "") == "image") {
        sdk::Json elements = sdk::Json::array({{{"media_type", "image"}, {"url", url}}});
        sdk::Json payload = {{"template_type", "media"}, {"elements", elements}};
        out.push_back({{"attachment", {{"type", "template"}, {"payload", payload}}}});
        continue;
      }
      std::string name = a.value("name", "");
      out.push_back({{"text", name.empty() ? url : name + ": " + url}});
    }
    return out;
  }

  // quick_replies (strings or {title, payload}) become oa.query.show buttons:
  // a tap sends the payload back as the user's message. "buttons" may also
  // carry {title, url} (oa.open.url) and {title, phone} (oa.open.phone).
  static sdk::Json buttons_of(sdk::SendCall& call, const sdk::Json& outbound) {
    sdk::Json out = sdk::Json::array();
    auto add = [&](const sdk::Json& b) {
      if (out.size() == kMaxButtons) return call.warn("Zalo shows at most 5 buttons; the rest were dropped");
      out.push_back(b);
    };
    for (const char* list : {"quick_replies", "buttons"}) {
      auto it = outbound.find(list);
      if (it == outbound.end() || !it->is_array()) continue;
      for (const sdk::Json& q : *it) {
        if (q.is_string()) {
          add({{"title", q}, {"type", "oa.query.show"}, {"payload", q}});
          continue;
        }
        if (!q.is_object()) continue;
        std::string title = q.value("title", q.value("text", ""));
        if (q.contains("url")) {
          add({{"title", title}, {"type", "oa.open.url"}, {"payload", {{"url", q["url"]}}}});
        } else if (q.contains("phone")) {
          add({{"title", title}, {"type", "oa.open.phone"}, {"payload", {{"phone_code", q["phone"]}}}});
        } else {
          add({{"title", title}, {"type", "oa.query.show"}, {"payload", q.value("payload", title)}});
        }
      }
    }
    return out;
  }

  std::map<std::string, std::string> auth_headers(const std::string& token) const {
    std::map<std::string, std::string> headers = {{"access_token", token}};
    if (appsecret_proof_) headers["appsecret_proof"] = hmac_sha256_hex(app_secret_, token);
    return headers;
  }

  // One CS message; its message_id, or the classified failure thrown. A
  // token error refreshes the pair once and tries again.
  std::string post_cs(sdk::SendCall& call, const std::string& body) {
    std::string token = tokens_->access_token();
    for (int attempt = 0;; ++attempt) {
      HttpOutcome outcome = post_json(api_path("/v3.0/oa/message/cs"), auth_headers(token), body, options_);
      ApiAnswer answer = read_answer(outcome);
      if (answer.answered && answer.error == 0) {
        return answer.data.is_object() ? id_text(answer.data.value("message_id", sdk::Json())) : std::string();
      }
      SendFailure f = classify_failure(outcome, answer, now_ms(), retry_);
      if (f.kind == FailureKind::Token && attempt == 0) {
        call.info("access token refused (" + f.code + "); refreshing once");
        token = tokens_->refresh(token);
        continue;
      }
      fail(call, f, answer.message);
    }
  }

  [[noreturn]] static void fail(sdk::SendCall& call, const SendFailure& f, const std::string& message) {
    if (f.alert) call.error("alert: " + f.reason);
    sdk::Json result = {{"code", f.code}};
    if (!message.empty()) result["message"] = message;
    bool retry = f.kind != FailureKind::Permanent;
    if (retry && f.retry_after_ms >= 0) result["retry_after_ms"] = f.retry_after_ms;
    call.set_result(result);
    throw sdk::Error(retry ? SB_ERR_RETRY : SB_ERR_PERMANENT, f.reason);
  }

  // GET /v3.0/oa/user/detail?data={"user_id":"…"}; the "data" object or nullopt.
  std::optional<sdk::Json> user_detail(const std::string& user) {
    std::string query = percent_encode(sdk::Json{{"user_id", user}}.dump());
    HttpTarget target = api_path("/v3.0/oa/user/detail?data=" + query);
    std::string token = tokens_->access_token();
    for (int attempt = 0; attempt < 2; ++attempt) {
      HttpOutcome outcome = get(target, auth_headers(token), profile_options_);
      ApiAnswer answer = read_answer(outcome);
      if (answer.answered && answer.error == 0 && answer.data.is_object()) return answer.data;
      SendFailure f = classify_failure(outcome, answer, now_ms(), retry_);
      if (f.kind == FailureKind::Token && attempt == 0) {
        token = tokens_->refresh(token);
        continue;
      }
      ctx_.warn("user/detail for " + user + " failed: " + f.reason);
      return std::nullopt;
    }
    return std::nullopt;
  }

  sdk::InstanceContext ctx_;
  OaIdentity identity_;
  std::string app_secret_;
  std::string mac_first_term_;
  std::string mac_secret_;
  HttpTarget api_;
  HttpPostOptions options_;
  HttpPostOptions profile_options_;
  std::size_t max_text_length_ = 2000;
  WindowPolicy window_;
  RetryPolicy retry_;
  bool quote_in_reply_to_ = false;
  bool appsecret_proof_ = false;
  std::unique_ptr<TokenKeeper> tokens_;
  std::unique_ptr<ProfileFetcher> profiles_;
};

}  // namespace switchboard::plugins::zalo_oa

SWITCHBOARD_PLUGIN(switchboard::plugins::zalo_oa::ZaloOaChannel)
