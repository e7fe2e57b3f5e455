// Event dispatch follows the spec's §1.5 list; attachment payloads its §1.6
// table. Dedup ids: message.msg_id where the event has one, otherwise
// event_name + user + timestamp (stable across Zalo's retries).
#include "webhook_events.hpp"

#include <cmath>
#include <cstdlib>
#include <exception>

namespace switchboard::plugins::zalo_oa {
namespace {

using sdk::Json;

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

std::string string_at(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it == object.end() ? std::string() : id_text(*it);
}

const Json& member(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// "10.76" or 10.76 → 10.76; NaN when neither.
double coordinate(const Json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nan("");
  const std::string& text = value.get_ref<const std::string&>();
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0' ? d : std::nan("");
}

// {latitude, longitude} from coordinates{latitude, longitude} or lat/long.
Json location_of(const Json& payload) {
  const Json& c = member(payload, "coordinates").is_object() ? member(payload, "coordinates") : payload;
  double lat = coordinate(member(c, "latitude").is_null() ? member(c, "lat") : member(c, "latitude"));
  double lon = coordinate(member(c, "longitude").is_null() ? member(c, "long") : member(c, "longitude"));
  if (std::isnan(lat) || std::isnan(lon)) return Json();
  return {{"latitude", lat}, {"longitude", lon}};
}

// A business card arrives as a link whose description is a JSON string.
Json business_card_of(const Json& payload) {
  const Json& description = member(payload, "description");
  if (!description.is_string()) return Json();
  Json card = Json::parse(description.get<std::string>(), nullptr, false);
  if (!card.is_object() || !card.contains("phone")) return Json();
  return card;
}

Json attachment_of(const Json& item) {
  const Json& payload = member(item, "payload");
  std::string type = string_at(item, "type");
  Json out = {{"type", type.empty() ? "unknown" : type},
              {"url", string_at(payload, "url")},
              {"name", string_at(payload, "name")}};
  for (const char* key : {"thumbnail", "description", "size", "checksum", "id"}) {
    std::string value = string_at(payload, key);
    if (!value.empty()) out[key] = value;
  }
  if (type == "file") out["extension"] = string_at(payload, "type");
  if (type == "location") {
    Json location = location_of(payload);
    if (!location.is_null()) out["location"] = location;
  }
  return out;
}

Json base_event(const std::string& id, const char* type, const std::string& user, const Json& body) {
  Json sender = {{"id", user}};
  std::string by_app = string_at(body, "user_id_by_app");
  if (!by_app.empty()) sender["user_id_by_app"] = by_app;
  Json event = {{"id", id}, {"type", type}, {"sender", sender}, {"zalo_event", string_at(body, "event_name")}};
  int64_t timestamp = timestamp_of(member(body, "timestamp"));
  if (timestamp > 0) event["timestamp"] = timestamp;
  return event;
}

std::string derived_id(const std::string& event_name, const std::string& user, const Json& body) {
  return event_name + ":" + user + ":" + std::to_string(timestamp_of(member(body, "timestamp")));
}

class EventReader {
 public:
  EventReader(const Json& body, const OaIdentity& identity)
      : body_(body), identity_(identity), name_(string_at(body, "event_name")) {}

  WebhookEvent read() const {
    WebhookEvent out;
    if (starts_with(name_, "user_send_") && !starts_with(name_, "user_send_group_")) return user_message();
    if (starts_with(name_, "oa_send_") && !starts_with(name_, "oa_send_group_") &&
        !starts_with(name_, "oa_send_anonymous_") && name_ != "oa_send_consent") {
      return oa_echo();
    }
    if (name_ == "user_received_message" || name_ == "user_seen_message") return receipt();
    if (name_ == "follow" || name_ == "unfollow") return follow();
    if (name_ == "user_click_chatnow") return click_chatnow();
    if (name_ == "user_submit_info") return submit_info();
    if (name_ == "user_reacted_message") return reaction();
    if (name_ == "user_withdraw") return withdraw();
    out.ignored = "event '" + name_ + "' is not handled";
    return out;
  }

 private:
  static WebhookEvent ignored(std::string why) {
    WebhookEvent out;
    out.ignored = std::move(why);
    return out;
  }

  // Rule 3 of §1.7: events for an OA this inbox does not serve are dropped.
  bool other_oa(const std::string& oa) const {
    return !identity_.oa_id.empty() && !oa.empty() && oa != identity_.oa_id;
  }

  WebhookEvent user_message() const {
    std::string user = string_at(member(body_, "sender"), "id");
    if (user.empty()) return ignored(name_ + " without sender.id");
    std::string oa = string_at(member(body_, "recipient"), "id");
    if (other_oa(oa)) return ignored(name_ + " for another OA " + oa);
    const Json& message = member(body_, "message");
    std::string msg_id = string_at(message, "msg_id");
    WebhookEvent out;
    out.event = base_event(msg_id.empty() ? derived_id(name_, user, body_) : msg_id, "message", user, body_);
    out.event["text"] = string_at(message, "text");
    Json attachments = Json::array();
    if (member(message, "attachments").is_array()) {
      for (const Json& item : message["attachments"]) {
        if (item.is_object()) attachments.push_back(attachment_of(item));
      }
    }
    enrich(out.event, attachments);
    out.event["attachments"] = std::move(attachments);
    std::string quoted = string_at(message, "quote_msg_id");
    if (!quoted.empty()) out.event["reply_to"] = quoted;
    out.profile_user = user;
    return out;
  }

  // Location, sticker and business card get their own top-level member, so
  // handlers need not dig through attachments.
  void enrich(Json& event, const Json& attachments) const {
    const Json& raw = member(member(body_, "message"), "attachments");
    for (std::size_t i = 0; i < attachments.size(); ++i) {
      const Json& a = attachments[i];
      const Json& payload = raw.is_array() && i < raw.size() ? member(raw[i], "payload") : Json();
      if (a["type"] == "location" && a.contains("location")) event["location"] = a["location"];
      if (a["type"] == "sticker") event["sticker"] = {{"id", a.value("id", "")}, {"url", a.value("url", "")}};
      if (a["type"] == "link" && name_ == "user_send_business_card") {
        Json card = business_card_of(payload);
        if (!card.is_null()) event["business_card"] = card;
      }
    }
  }

  // An OA message echoed back: a human typed it in Zalo's OA tool when
  // sender.admin_id is present; otherwise it is (most likely) our own send.
  WebhookEvent oa_echo() const {
    const Json& sender = member(body_, "sender");
    std::string oa = string_at(sender, "id");
    if (other_oa(oa)) return ignored(name_ + " for another OA " + oa);
    std::string admin = string_at(sender, "admin_id");
    const Json& message = member(body_, "message");
    std::string msg_id = string_at(message, "msg_id");
    if (admin.empty()) return ignored("echo of an API send " + msg_id + " (no sender.admin_id)");
    std::string user = string_at(member(body_, "recipient"), "id");
    if (user.empty()) return ignored(name_ + " without recipient.id");
    WebhookEvent out;
    out.event = base_event(msg_id.empty() ? derived_id(name_, user, body_) : msg_id, "agent_message", user, body_);
    out.event["text"] = string_at(message, "text");
    Json attachments = Json::array();
    if (member(message, "attachments").is_array()) {
      for (const Json& item : message["attachments"]) {
        if (item.is_object()) attachments.push_back(attachment_of(item));
      }
    }
    out.event["attachments"] = std::move(attachments);
    out.event["admin_id"] = admin;
    return out;
  }

  // The user is whichever side is not the OA (the direction of
  // user_received_message is not documented).
  std::string receipt_user() const {
    std::string sender = string_at(member(body_, "sender"), "id");
    std::string recipient = string_at(member(body_, "recipient"), "id");
    if (!identity_.oa_id.empty() && sender == identity_.oa_id) return recipient;
    return sender.empty() ? recipient : sender;
  }

  WebhookEvent receipt() const {
    std::string user = receipt_user();
    if (user.empty()) return ignored(name_ + " without a user id");
    const Json& message = member(body_, "message");
    Json ids = Json::array();
    if (member(message, "msg_ids").is_array()) {
      for (const Json& id : message["msg_ids"]) {
        if (!id_text(id).empty()) ids.push_back(id_text(id));
      }
    }
    std::string single = string_at(message, "msg_id");
    if (!single.empty()) ids.push_back(single);
    if (ids.empty()) return ignored(name_ + " without msg_id(s)");
    bool seen = name_ == "user_seen_message";
    std::string id = seen ? derived_id(name_, user, body_) : name_ + ":" + single;
    WebhookEvent out;
    out.event = base_event(id, "receipt", user, body_);
    out.event["receipt"] = {{"status", seen ? "read" : "delivered"}, {"mids", ids}};
    return out;
  }

  WebhookEvent contact_update(const std::string& user, bool interaction, Json sender_fields) const {
    WebhookEvent out;
    out.event = base_event(derived_id(name_, user, body_), "contact_update", user, body_);
    out.event["sender"].update(sender_fields);
    out.event["interaction"] = interaction;
    out.profile_user = interaction ? user : std::string();
    return out;
  }

  WebhookEvent follow() const {
    std::string user = string_at(member(body_, "follower"), "id");
    if (user.empty()) return ignored(name_ + " without follower.id");
    std::string oa = string_at(body_, "oa_id");
    if (other_oa(oa)) return ignored(name_ + " for another OA " + oa);
    bool following = name_ == "follow";
    Json fields = {{"zalo_follower", following}};
    std::string source = string_at(body_, "source");
    if (!source.empty()) fields["zalo_follow_source"] = source;
    WebhookEvent out = contact_update(user, following, fields);
    // A follow runs the inbox's pipeline (a greeting may welcome the user);
    // an unfollow only updates the contact.
    if (following) out.event["type"] = "follow";
    return out;
  }

  WebhookEvent click_chatnow() const {
    std::string user = string_at(body_, "user_id");
    if (user.empty()) user = string_at(member(body_, "sender"), "id");
    if (user.empty()) return ignored(name_ + " without user_id");
    std::string oa = string_at(body_, "oa_id");
    if (other_oa(oa)) return ignored(name_ + " for another OA " + oa);
    return contact_update(user, true, Json::object());
  }

  // The user asks the OA to delete their data (Decree 13/2023): the host
  // erases the contact like an admin's DELETE /api/v1/contacts/{id}.
  WebhookEvent withdraw() const {
    std::string user = string_at(body_, "user_id");
    if (user.empty()) user = string_at(member(body_, "sender"), "id");
    if (user.empty()) return ignored(name_ + " without user_id");
    std::string oa = string_at(body_, "oa_id");
    if (oa.empty()) oa = string_at(member(body_, "recipient"), "id");
    if (other_oa(oa)) return ignored(name_ + " for another OA " + oa);
    WebhookEvent out;
    out.event = base_event(derived_id(name_, user, body_), "contact_erase", user, body_);
    return out;
  }

  WebhookEvent submit_info() const {
    std::string user = string_at(member(body_, "sender"), "id");
    if (user.empty()) return ignored(name_ + " without sender.id");
    std::string oa = string_at(member(body_, "recipient"), "id");
    if (other_oa(oa)) return ignored(name_ + " for another OA " + oa);
    const Json& info = member(body_, "info");
    Json fields = Json::object();
    std::string name = string_at(info, "name");
    std::string phone = string_at(info, "phone");
    if (!name.empty()) fields["name"] = name;
    if (!phone.empty()) fields["phone"] = phone;
    if (info.is_object()) fields["zalo_info"] = info;
    return contact_update(user, true, fields);
  }

  WebhookEvent reaction() const {
    std::string user = string_at(member(body_, "sender"), "id");
    const Json& message = member(body_, "message");
    std::string msg_id = string_at(message, "msg_id");
    if (user.empty() || msg_id.empty()) return ignored(name_ + " without sender.id or msg_id");
    WebhookEvent out;
    out.event = base_event(derived_id(name_, user, body_) + ":" + msg_id, "reaction", user, body_);
    out.event["reaction"] = {{"mid", msg_id}, {"emoji", string_at(message, "react_icon")}};
    return out;
  }

  const Json& body_;
  const OaIdentity& identity_;
  std::string name_;
};

}  // namespace

std::string id_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.dump();
  return {};
}

int64_t timestamp_of(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number()) return static_cast<int64_t>(std::llround(value.get<double>()));
  if (!value.is_string()) return 0;
  const std::string& text = value.get_ref<const std::string&>();
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoll(text);
}

WebhookEvent to_event(const Json& body, const OaIdentity& identity) {
  WebhookEvent out;
  if (!body.is_object() || string_at(body, "event_name").empty()) {
    out.probe = true;
    out.ignored = "registration probe (no event_name)";
    return out;
  }
  try {
    return EventReader(body, identity).read();
  } catch (const std::exception& e) {  // a field of an unexpected JSON type
    out.ignored = std::string("malformed event: ") + e.what();
    return out;
  }
}

}  // namespace switchboard::plugins::zalo_oa
