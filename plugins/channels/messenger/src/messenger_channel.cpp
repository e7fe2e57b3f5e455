// messenger — Facebook Messenger through a Meta app subscribed to a Page.
// Inbound: the Webhooks handshake (GET) and signed event batches (POST,
// X-Hub-Signature-256). Outbound: the Graph Send API, inside the messaging
// window (24 h for the bot, 7 days with HUMAN_AGENT for humans).
#include <switchboard/plugins/http_delivery.hpp>
#include <switchboard/plugins/query_string.hpp>
#include <switchboard/plugins/signature.hpp>
#include <switchboard/sdk.hpp>

#include <chrono>

#include "graph_send.hpp"
#include "webhook_events.hpp"

namespace switchboard::plugins::messenger {

// Thread-safe: all members are set in the constructor and read-only after.
class MessengerChannel : public sdk::Channel {
 public:
  static constexpr const char* kName = "messenger";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Facebook Messenger: Page webhooks in, Graph Send API out";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE;
  static constexpr std::array kFields{
      sdk::field("app_id", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr,
                 "Meta app id; echoes carrying it are our own sends and are ignored"),
      sdk::field("app_secret", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, nullptr,
                 "App Secret: HMAC-SHA256 key of X-Hub-Signature-256"),
      sdk::field("page_access_token", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, nullptr,
                 "Page access token for the Send API"),
      sdk::field("verify_token", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, nullptr,
                 "Token typed into the app's Webhooks settings; checked in the GET handshake"),
      sdk::field("page_id", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr,
                 "The Page this inbox serves; webhook entries for other Pages are skipped"),
      sdk::field("graph_api_base", SB_FIELD_STRING, 0, "\"https://graph.facebook.com\"",
                 "Graph API origin (tests point it at a local stand-in)"),
      sdk::field("graph_api_version", SB_FIELD_STRING, 0, "\"v21.0\"", "Pinned Graph API version"),
      sdk::field("timeout_ms", SB_FIELD_INTEGER, 0, "10000", "Read timeout of one Send API call"),
      sdk::field("max_text_length", SB_FIELD_INTEGER, 0, "2000",
                 "Longer texts are split into several messages (characters = code points)"),
      sdk::field("standard_window_hours", SB_FIELD_INTEGER, 0, "24",
                 "Hours after the person's last message in which any reply is sent as RESPONSE"),
      sdk::field("human_agent_window_days", SB_FIELD_INTEGER, 0, "7",
                 "Days in which a human's reply (automated: false) is sent with MESSAGE_TAG + HUMAN_AGENT"),
      sdk::field("human_agent_tag", SB_FIELD_BOOLEAN, 0, "true",
                 "The app has the Human Agent permission; off: human replies also stop at the standard window"),
      sdk::field("pass_thread_control", SB_FIELD_BOOLEAN, 0, "false",
                 "After a reply marked \"handoff\": true, pass the thread to the Page Inbox (Handover Protocol)"),
      sdk::field("page_inbox_app_id", SB_FIELD_STRING, 0, "\"263902037430900\"",
                 "The app that receives the thread on handoff (Meta Business Suite's Page Inbox)"),
  };
  static constexpr std::size_t kMaxQuickReplies = 13;

  MessengerChannel(sdk::InstanceContext, const sdk::Json& config)
      : app_secret_(config.at("app_secret").get<std::string>()),
        page_token_(config.at("page_access_token").get<std::string>()),
        verify_token_(config.at("verify_token").get<std::string>()),
        identity_{config.at("app_id").get<std::string>(), config.at("page_id").get<std::string>()} {
    if (identity_.app_id.empty()) throw sdk::ConfigError("app_id: required");
    if (app_secret_.empty() || page_token_.empty() || verify_token_.empty()) {
      throw sdk::ConfigError("app_secret, page_access_token and verify_token must not be empty");
    }
    std::string base = config.at("graph_api_base").get<std::string>();
    while (!base.empty() && base.back() == '/') base.pop_back();
    HttpTarget origin;
    if (!parse_http_url(base, origin)) throw sdk::ConfigError("graph_api_base: not an http(s) URL");
    std::string version = config.at("graph_api_version").get<std::string>();
    if (version.empty() || version.find_first_of("/?#") != std::string::npos) {
      throw sdk::ConfigError("graph_api_version: e.g. \"v21.0\"");
    }
    send_api_.origin = origin.origin;
    std::string prefix = (origin.path == "/" ? std::string() : origin.path) + "/" + version;
    std::string token_query = "?access_token=" + percent_encode(page_token_);
    send_api_.path = prefix + "/me/messages" + token_query;
    handover_api_ = {origin.origin, prefix + "/me/pass_thread_control" + token_query};
    pass_thread_control_ = config.at("pass_thread_control").get<bool>();
    page_inbox_app_id_ = config.at("page_inbox_app_id").get<std::string>();
    if (pass_thread_control_ &&
        (page_inbox_app_id_.empty() || page_inbox_app_id_.find_first_not_of("0123456789") != std::string::npos)) {
      throw sdk::ConfigError("page_inbox_app_id: a numeric app id");
    }
    options_.read_timeout = std::chrono::milliseconds(positive(config, "timeout_ms"));
    max_text_length_ = static_cast<std::size_t>(positive(config, "max_text_length"));
    window_.standard_ms = positive(config, "standard_window_hours") * 3600 * 1000;
    window_.human_agent_ms = positive(config, "human_agent_window_days") * 24 * 3600 * 1000;
    window_.human_agent_tag = config.at("human_agent_tag").get<bool>();
  }

  void on_http(sdk::HttpCall& call, const sdk::HttpRequest& request) override {
    if (request.method == "GET") return handshake(call, request);
    if (request.method != "POST") return respond_error(call, 405, "use GET (handshake) or POST (events)");
    if (!signature_valid(request.header("x-hub-signature-256"), request.body)) {
      call.warn("rejected webhook: missing or wrong X-Hub-Signature-256");
      return respond_error(call, 403, "missing or wrong X-Hub-Signature-256");
    }
    auto body = sdk::Json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return respond_error(call, 400, "body is not a JSON object");
    std::string object = body.value("object", "");
    if (object != "page") {
      // Signed by Meta, so a refusal would only make it redeliver: out of scope, acknowledged.
      call.info("ignored webhook for object '" + object + "' (only \"page\" is handled)");
      return call.respond(200, "text/plain", "EVENT_RECEIVED");
    }
    WebhookBatch batch = to_events(body, identity_);
    for (const std::string& why : batch.skipped) call.info("webhook item ignored: " + why);
    for (const sdk::Json& event : batch.events) call.submit_inbound(event);
    call.respond(200, "text/plain", "EVENT_RECEIVED");
  }

  void may_send(sdk::SendCall& call, const sdk::Json& outbound) override {
    // The window's end lets the web inbox show the time left before sending.
    call.set_result({{"closes_at", window_for(call, outbound).closes_at}});
  }

  void send(sdk::SendCall& call, const sdk::Json& outbound) override {
    WindowDecision window = window_for(call, outbound);
    std::string recipient = id_text(outbound.value("recipient", sdk::Json::object()).value("id", sdk::Json()));
    if (recipient.empty()) throw sdk::Error(SB_ERR_PERMANENT, "outbound has no recipient.id");
    std::vector<sdk::Json> messages = messages_of(call, outbound);
    if (messages.empty()) throw sdk::Error(SB_ERR_PERMANENT, "outbound has neither text nor attachments");

    sdk::Json ids = sdk::Json::array();
    for (sdk::Json& message : messages) {
      sdk::Json request = {{"recipient", {{"id", recipient}}},
                           {"messaging_type", window.messaging_type},
                           {"message", std::move(message)}};
      if (!window.tag.empty()) request["tag"] = window.tag;
      ids.push_back(post(call, request.dump()));
    }
    sdk::Json result = {{"message_id", ids.back()}, {"message_ids", ids}};
    if (pass_thread_control_ && outbound.value("handoff", false)) result["handover"] = pass_thread(call, recipient);
    call.set_result(result);
  }

 private:
  static int64_t positive(const sdk::Json& config, const char* key) {
    int64_t value = config.at(key).get<int64_t>();
    if (value <= 0) throw sdk::ConfigError(std::string(key) + ": must be positive");
    return value;
  }

  void handshake(sdk::HttpCall& call, const sdk::HttpRequest& request) const {
    auto query = parse_query(request.query);
    bool subscribe = query["hub.mode"] == "subscribe";
    bool token_ok = constant_time_equal(verify_token_, query["hub.verify_token"]);
    if (!subscribe || !token_ok) {
      call.warn("refused webhook verification: wrong hub.mode or hub.verify_token");
      return respond_error(call, 403, "verification refused");
    }
    call.info("webhook verification accepted");
    call.respond(200, "text/plain", query["hub.challenge"]);
  }

  bool signature_valid(const std::string& header, std::string_view body) const {
    const std::string prefix = "sha256=";
    if (header.compare(0, prefix.size(), prefix) != 0) return false;
    return hex_digest_equal(hmac_sha256_hex(app_secret_, body), std::string_view(header).substr(prefix.size()));
  }

  // The window decision, or the refusal the outbox records as blocked.
  WindowDecision window_for(sdk::SendCall& call, const sdk::Json& outbound) const {
    const sdk::Json& last = outbound.value("last_inbound_at", sdk::Json(0));
    int64_t last_inbound_at = last.is_number() ? last.get<int64_t>() : 0;
    bool automated = outbound.value("automated", true);
    int64_t now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    WindowDecision d = decide_window(last_inbound_at, now, automated, window_);
    if (d.allowed) return d;
    call.set_result({{"code", "window_closed"}});
    throw sdk::Error(SB_ERR_PERMANENT, d.reason);
  }

  // Texts over the limit become several messages; attachments follow, one
  // message each; quick replies ride on the last message.
  std::vector<sdk::Json> messages_of(sdk::SendCall& call, const sdk::Json& outbound) const {
    std::vector<sdk::Json> out;
    for (std::string& piece : split_text(outbound.value("text", ""), max_text_length_)) {
      out.push_back({{"text", std::move(piece)}});
    }
    if (outbound.contains("attachments") && outbound["attachments"].is_array()) {
      for (const sdk::Json& a : outbound["attachments"]) {
        std::string url = a.is_object() ? a.value("url", "") : "";
        if (url.empty()) continue;
        std::string type = a.value("type", "file");
        if (type != "image" && type != "audio" && type != "video") type = "file";
        out.push_back({{"attachment", {{"type", type}, {"payload", {{"url", url}, {"is_reusable", true}}}}}});
      }
    }
    sdk::Json quick = quick_replies_of(call, outbound);
    if (!out.empty() && !quick.empty()) out.back()["quick_replies"] = std::move(quick);
    return out;
  }

  static sdk::Json quick_replies_of(sdk::SendCall& call, const sdk::Json& outbound) {
    sdk::Json out = sdk::Json::array();
    auto it = outbound.find("quick_replies");
    if (it == outbound.end() || !it->is_array()) return out;
    for (const sdk::Json& q : *it) {
      if (out.size() == kMaxQuickReplies) {
        call.warn("quick_replies: Messenger shows at most 13; the rest were dropped");
        break;
      }
      if (q.is_string()) {
        out.push_back({{"content_type", "text"}, {"title", q}, {"payload", q}});
        continue;
      }
      if (!q.is_object()) continue;
      std::string type = q.value("content_type", "text");
      sdk::Json reply = {{"content_type", type}};
      if (type == "text") {
        std::string title = q.value("title", q.value("text", ""));
        reply["title"] = title;
        reply["payload"] = q.value("payload", title);
      }
      if (q.contains("image_url")) reply["image_url"] = q["image_url"];
      out.push_back(std::move(reply));
    }
    return out;
  }

  // One Send API call; the message id, or the classified failure thrown.
  std::string post(sdk::SendCall& call, const std::string& body) const {
    HttpOutcome outcome = post_json(send_api_, {}, body, options_);
    if (outcome.delivery == Delivery::Delivered) {
      auto answer = sdk::Json::parse(outcome.body, nullptr, false);
      return answer.is_object() ? id_text(answer.value("message_id", sdk::Json())) : std::string();
    }
    SendFailure f = classify_failure(outcome);
    if (f.alert) call.error("alert: the Page access token was refused (" + f.reason + "); update page_access_token");
    sdk::Json result = {{"code", f.code}};
    if (f.status == SB_ERR_RETRY && f.retry_after_ms >= 0) result["retry_after_ms"] = f.retry_after_ms;
    call.set_result(result);
    throw sdk::Error(f.status, f.reason);
  }

  // Handover Protocol: the Page Inbox gets the thread, so Meta routes the
  // person's next messages to the humans (we then receive them as standby).
  // A failure never fails the reply that was already sent; it is logged.
  std::string pass_thread(sdk::SendCall& call, const std::string& recipient) const {
    sdk::Json body = {{"recipient", {{"id", recipient}}},
                      {"target_app_id", std::stoll(page_inbox_app_id_)},
                      {"metadata", "switchboard: handed to a human"}};
    HttpOutcome outcome = post_json(handover_api_, {}, body.dump(), options_);
    if (outcome.delivery == Delivery::Delivered) return "passed";
    SendFailure f = classify_failure(outcome);
    call.warn("pass_thread_control failed (" + f.reason + "); the bot stays silent, Meta keeps the thread with us");
    return "failed: " + f.code;
  }

  static void respond_error(sdk::HttpCall& call, int status, const std::string& reason) {
    call.respond(status, "application/json", sdk::Json{{"error", reason}}.dump());
  }

  std::string app_secret_;
  std::string page_token_;
  std::string verify_token_;
  WebhookIdentity identity_;
  HttpTarget send_api_;
  HttpTarget handover_api_;
  bool pass_thread_control_ = false;
  std::string page_inbox_app_id_;
  HttpPostOptions options_;
  std::size_t max_text_length_ = 2000;
  WindowPolicy window_;
};

}  // namespace switchboard::plugins::messenger

SWITCHBOARD_PLUGIN(switchboard::plugins::messenger::MessengerChannel)
