// Event discrimination follows the spec's table (one key per messaging item).
// Dedup ids: message.mid where the item has one; otherwise kind + PSID +
// watermark/timestamp, which is stable across Meta's redeliveries.
#include "webhook_events.hpp"

#include <cmath>
#include <exception>

namespace switchboard::plugins::messenger {
namespace {

using sdk::Json;

std::string string_at(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it == object.end() ? std::string() : id_text(*it);
}

// The customer's file name is not sent; the URL's last path segment is the
// best hint (CDN names keep the original file name for "file" attachments).
std::string name_from_url(const std::string& url) {
  std::string path = url.substr(0, url.find('?'));
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(slash + 1);
}

Json attachment_of(const Json& item) {
  const Json payload = item.value("payload", Json::object());
  std::string url = payload.is_object() ? payload.value("url", "") : "";
  std::string name = payload.is_object() ? payload.value("title", "") : "";
  if (name.empty() && item.value("type", "") == "file") name = name_from_url(url);
  Json out = {{"type", item.value("type", "unknown")}, {"url", url}, {"name", name}};
  if (!payload.is_object()) return out;
  if (payload.contains("sticker_id")) out["sticker_id"] = id_text(payload["sticker_id"]);
  if (payload.contains("coordinates")) out["location"] = payload["coordinates"];
  return out;
}

Json attachments_of(const Json& message) {
  Json out = Json::array();
  auto it = message.find("attachments");
  if (it == message.end() || !it->is_array()) return out;
  for (const Json& item : *it) {
    if (item.is_object()) out.push_back(attachment_of(item));
  }
  return out;
}

// Fields every event of one messaging item shares.
Json base_event(const std::string& id, const std::string& type, const std::string& customer, int64_t timestamp) {
  Json event = {{"id", id}, {"type", type}, {"sender", {{"id", customer}}}};
  if (timestamp > 0) event["timestamp"] = timestamp;
  return event;
}

int64_t timestamp_of(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number()) return static_cast<int64_t>(std::llround(value.get<double>()));
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) return std::stoll(text);
  }
  return 0;
}

class ItemReader {
 public:
  ItemReader(const Json& item, const WebhookIdentity& identity, bool standby)
      : item_(item), identity_(identity), standby_(standby) {
    const Json& sender = item.value("sender", Json::object());
    customer_ = string_at(sender, "id");
    if (customer_.empty()) customer_ = string_at(sender, "user_ref");  // chat plugin guests
    timestamp_ = timestamp_of(item.value("timestamp", Json()));
  }

  // Appends the item's event, or a reason it was skipped.
  void read(WebhookBatch& out) const {
    std::string why;
    Json event;
    try {
      event = to_event(why);
    } catch (const std::exception& e) {  // a field of an unexpected JSON type: skip this item only
      why = std::string("malformed item: ") + e.what();
    }
    if (event.is_null()) {
      out.skipped.push_back(why);
    } else {
      out.events.push_back(std::move(event));
    }
  }

 private:
  Json to_event(std::string& why) const {
    if (item_.contains("message")) return message_event(item_["message"], why);
    if (customer_.empty()) return why = "messaging item without sender.id", Json();
    if (item_.contains("postback")) return postback_event(item_["postback"]);
    if (item_.contains("delivery")) return receipt_event("delivery", item_["delivery"]);
    if (item_.contains("read")) return receipt_event("read", item_["read"]);
    for (const char* key : {"pass_thread_control", "take_thread_control", "request_thread_control"}) {
      if (item_.contains(key)) return handover_event(key, item_[key]);
    }
    for (const char* key : {"referral", "optin", "reaction", "message_edit", "account_linking"}) {
      if (item_.contains(key)) return passthrough_event(key, item_[key]);
    }
    return why = "unrecognised messaging item with keys " + keys(), Json();
  }

  Json message_event(const Json& message, std::string& why) const {
    if (!message.is_object()) return why = "message is not an object", Json();
    std::string mid = string_at(message, "mid");
    if (message.value("is_echo", false)) return echo_event(message, mid, why);
    if (customer_.empty()) return why = "message without sender.id", Json();
    if (mid.empty()) return why = "message without mid", Json();
    Json event = base_event(mid, standby_ ? "standby" : "message", customer_, timestamp_);
    event["text"] = message.value("text", "");
    event["attachments"] = attachments_of(message);
    if (message.contains("quick_reply"))
      event["quick_reply"] = {{"payload", string_at(message["quick_reply"], "payload")}};
    if (message.contains("reply_to")) event["reply_to"] = string_at(message["reply_to"], "mid");
    if (standby_) event["standby_of"] = "message";
    return event;
  }

  // An echo is a message the Page sent: ours (ignored), or a human's in the
  // Page Inbox / another app (an agent message to the customer = recipient).
  Json echo_event(const Json& message, const std::string& mid, std::string& why) const {
    std::string app = string_at(message, "app_id");
    if (!app.empty() && app == identity_.app_id) return why = "echo of our own send " + mid, Json();
    std::string customer = string_at(item_.value("recipient", Json::object()), "id");
    if (customer.empty() || mid.empty()) return why = "echo without recipient.id or mid", Json();
    Json event = base_event(mid, "agent_message", customer, timestamp_);
    event["text"] = message.value("text", "");
    event["attachments"] = attachments_of(message);
    event["app_id"] = app;
    if (message.contains("metadata")) event["metadata"] = message["metadata"];
    return event;
  }

  Json postback_event(const Json& postback) const {
    std::string mid = string_at(postback, "mid");
    std::string id = mid.empty() ? "postback:" + customer_ + ":" + std::to_string(timestamp_) : mid;
    Json event = base_event(id, standby_ ? "standby" : "message", customer_, timestamp_);
    event["text"] = postback.is_object() ? postback.value("title", "") : "";
    event["attachments"] = Json::array();
    event["postback"] = {{"title", event["text"]}, {"payload", string_at(postback, "payload")}};
    if (postback.is_object() && postback.contains("referral")) event["referral"] = postback["referral"];
    if (standby_) event["standby_of"] = "postback";
    return event;
  }

  Json receipt_event(const char* kind, const Json& receipt) const {
    int64_t watermark = timestamp_of(receipt.is_object() ? receipt.value("watermark", Json()) : Json());
    Json event = base_event(std::string(kind) + ":" + customer_ + ":" + std::to_string(watermark), "receipt", customer_,
                            timestamp_);
    event["receipt"] = {{"status", kind == std::string("read") ? "read" : "delivered"}, {"watermark", watermark}};
    if (receipt.is_object() && receipt.contains("mids")) event["receipt"]["mids"] = receipt["mids"];
    return event;
  }

  Json handover_event(const char* action, const Json& body) const {
    Json event = base_event(std::string(action) + ":" + customer_ + ":" + std::to_string(timestamp_), "handover",
                            customer_, timestamp_);
    Json handover = {{"action", action}};
    for (const char* key : {"new_owner_app_id", "previous_owner_app_id", "requested_owner_app_id"}) {
      if (body.is_object() && body.contains(key) && !body[key].is_null()) handover[key] = id_text(body[key]);
    }
    if (body.is_object() && body.contains("metadata")) handover["metadata"] = body["metadata"];
    std::string owner = handover.value("new_owner_app_id", "");
    handover["to_page_inbox"] = owner == kPageInboxAppId;
    handover["to_us"] = !owner.empty() && owner == identity_.app_id;
    event["handover"] = std::move(handover);
    return event;
  }

  // Kinds the host has no special meaning for yet: the payload rides along
  // under its own key, the type names the kind.
  Json passthrough_event(const char* kind, const Json& body) const {
    std::string mid = string_at(body, "mid");
    std::string id =
        std::string(kind) + ":" + customer_ + ":" + std::to_string(timestamp_) + (mid.empty() ? "" : ":" + mid);
    Json event = base_event(id, kind, customer_, timestamp_);
    event[kind] = body;
    if (std::string(kind) == "message_edit") event["text"] = body.is_object() ? body.value("text", "") : "";
    return event;
  }

  std::string keys() const {
    std::string out;
    for (const auto& [key, value] : item_.items()) {
      (void)value;
      if (key == "sender" || key == "recipient" || key == "timestamp") continue;
      out += (out.empty() ? "" : ",") + key;
    }
    return out.empty() ? "(none)" : out;
  }

  const Json& item_;
  const WebhookIdentity& identity_;
  bool standby_;
  std::string customer_;
  int64_t timestamp_ = 0;
};

void read_items(const Json& entry, const char* list, const WebhookIdentity& identity, WebhookBatch& out) {
  auto it = entry.find(list);
  if (it == entry.end()) return;
  if (!it->is_array()) return out.skipped.push_back(std::string("entry.") + list + " is not an array");
  bool standby = std::string(list) == "standby";
  for (const Json& item : *it) {
    if (!item.is_object()) {
      out.skipped.push_back(std::string(list) + " item is not an object");
      continue;
    }
    ItemReader(item, identity, standby).read(out);
  }
}

}  // namespace

std::string id_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.dump();
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
      return std::to_string(static_cast<int64_t>(d));
    }
  }
  return {};
}

WebhookBatch to_events(const Json& body, const WebhookIdentity& identity) {
  WebhookBatch out;
  auto entries = body.find("entry");
  if (entries == body.end() || !entries->is_array()) return out;
  for (const Json& entry : *entries) {
    if (!entry.is_object()) {
      out.skipped.push_back("entry is not an object");
      continue;
    }
    std::string page = id_text(entry.value("id", Json()));
    if (!identity.page_id.empty() && !page.empty() && page != identity.page_id) {
      out.skipped.push_back("entry for another Page " + page);
      continue;
    }
    read_items(entry, "messaging", identity, out);
    read_items(entry, "standby", identity, out);
    if (entry.contains("changes")) out.skipped.push_back("entry.changes (feed webhooks) are not handled");
  }
  return out;
}

}  // namespace switchboard::plugins::messenger
