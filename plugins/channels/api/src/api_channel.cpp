// api — the generic HTTP channel for web forms, Zalo Mini Apps, partner apps
// and tests. Inbound: signed JSON posted to /webhooks/{inbox}. Outbound:
// signed JSON posted to callback_url. Signature on both legs:
// X-Switchboard-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>.
#include <switchboard/plugins/http_client_pool.hpp>
#include <switchboard/plugins/http_delivery.hpp>
#include <switchboard/plugins/signature.hpp>
#include <switchboard/sdk.hpp>

namespace switchboard::plugins {

class ApiChannel : public sdk::Channel {
 public:
  static constexpr const char* kName = "api";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Signed JSON over HTTP: web forms, mini apps, partner systems";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE;
  static constexpr std::array kFields{
      sdk::field("secret", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, nullptr,
                 "Shared HMAC-SHA256 key for X-Switchboard-Signature on both legs"),
      sdk::field("callback_url", SB_FIELD_STRING, 0, nullptr,
                 "http(s) URL replies are POSTed to; without it replies are dead-lettered"),
      sdk::field("timeout_ms", SB_FIELD_INTEGER, 0, "10000", "Read timeout of one callback POST"),
  };
  static constexpr const char* kSignatureHeader = "x-switchboard-signature";

  ApiChannel(sdk::InstanceContext, const sdk::Json& config) : secret_(config.at("secret").get<std::string>()) {
    if (secret_.size() < 8) throw sdk::ConfigError("secret: use at least 8 characters");
    if (config.contains("callback_url")) {
      has_callback_ = parse_http_url(config["callback_url"].get<std::string>(), callback_);
      if (!has_callback_) throw sdk::ConfigError("callback_url: not an http(s) URL");
    }
    int64_t timeout = config.at("timeout_ms").get<int64_t>();
    if (timeout <= 0) throw sdk::ConfigError("timeout_ms: must be positive");
    HttpPostOptions options;
    options.read_timeout = std::chrono::milliseconds(timeout);
    // Every reply goes to the same origin: keep its connections open.
    if (has_callback_) callbacks_ = std::make_unique<HttpClientPool>(callback_.origin, options);
  }

  void on_http(sdk::HttpCall& call, const sdk::HttpRequest& request) override {
    if (request.method != "POST") return respond_error(call, 405, "use POST");
    if (!signature_valid(request.header(kSignatureHeader), request.body)) {
      call.warn("rejected webhook: missing or wrong X-Switchboard-Signature");
      return respond_error(call, 401, "missing or wrong X-Switchboard-Signature");
    }
    auto body = sdk::Json::parse(request.body, nullptr, false);
    std::string problem = check_message(body);
    if (!problem.empty()) {
      call.warn("rejected webhook: " + problem);
      return respond_error(call, 400, problem);
    }
    const sdk::Json& user = body["user"];
    sdk::Json sender = {{"id", user["id"]}};
    for (const char* key : {"name", "phone", "email"}) {
      if (user.contains(key) && user[key].is_string()) sender[key] = user[key];
    }
    sdk::Json event = {{"id", body["message_id"]}, {"type", "message"}, {"sender", sender}, {"text", body["text"]}};
    if (body.contains("attachments")) event["attachments"] = attachments_of(body["attachments"]);
    call.submit_inbound(event);
  }

  void send(sdk::SendCall& call, const sdk::Json& outbound) override {
    if (!has_callback_) throw sdk::Error(SB_ERR_PERMANENT, "no callback_url configured for this inbox");
    sdk::Json payload = {{"id", outbound.at("idempotency_key")},
                         {"in_reply_to", outbound.value("in_reply_to", sdk::Json())},
                         {"user_id", outbound.at("/recipient/id"_json_pointer)},
                         {"text", outbound.value("text", "")}};
    std::string body = payload.dump();
    HttpOutcome outcome = callbacks_->post_json(
        callback_.path, {{"X-Switchboard-Signature", "sha256=" + hmac_sha256_hex(secret_, body)}}, body);
    if (outcome.delivery == Delivery::Delivered) return;
    std::string reason = outcome.status == 0 ? outcome.error : "HTTP " + std::to_string(outcome.status);
    if (outcome.delivery == Delivery::Retry) {
      if (outcome.retry_after_ms >= 0) call.set_result({{"retry_after_ms", outcome.retry_after_ms}});
      throw sdk::Error(SB_ERR_RETRY, "callback failed: " + reason);
    }
    call.set_result({{"code", std::to_string(outcome.status)}});
    throw sdk::Error(SB_ERR_PERMANENT, "callback refused: " + reason + " " + outcome.body.substr(0, 200));
  }

 private:
  // Attachments pass through as {type, url, name} strings only: what the
  // web inbox shows (images inline, other files as links); anything else is dropped.
  static sdk::Json attachments_of(const sdk::Json& given) {
    sdk::Json out = sdk::Json::array();
    if (!given.is_array()) return out;
    for (const auto& item : given) {
      if (!item.is_object()) continue;
      sdk::Json kept = sdk::Json::object();
      for (const char* key : {"type", "url", "name"}) {
        if (item.contains(key) && item[key].is_string()) kept[key] = item[key];
      }
      if (kept.contains("url")) out.push_back(kept);
    }
    return out;
  }

  bool signature_valid(const std::string& header, std::string_view body) const {
    const std::string prefix = "sha256=";
    if (header.compare(0, prefix.size(), prefix) != 0) return false;
    return hex_digest_equal(hmac_sha256_hex(secret_, body), std::string_view(header).substr(prefix.size()));
  }

  static std::string check_message(const sdk::Json& body) {
    if (body.is_discarded() || !body.is_object()) return "body is not a JSON object";
    if (!body.contains("message_id") || !body["message_id"].is_string() ||
        body["message_id"].get<std::string>().empty())
      return "message_id: required non-empty string";
    if (!body.contains("user") || !body["user"].is_object()) return "user: required object";
    const sdk::Json& user = body["user"];
    if (!user.contains("id") || !user["id"].is_string() || user["id"].get<std::string>().empty())
      return "user.id: required non-empty string";
    if (!body.contains("text") || !body["text"].is_string()) return "text: required string";
    return {};
  }

  static void respond_error(sdk::HttpCall& call, int status, const std::string& reason) {
    call.respond(status, "application/json", sdk::Json{{"error", reason}}.dump());
  }

  std::string secret_;
  bool has_callback_ = false;
  HttpTarget callback_;
  std::unique_ptr<HttpClientPool> callbacks_;  // set when has_callback_
};

}  // namespace switchboard::plugins

SWITCHBOARD_PLUGIN(switchboard::plugins::ApiChannel)
