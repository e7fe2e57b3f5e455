// The event JSON → the store's ContactUpdate / Receipt.
#include "processing/channel_event_effects.hpp"

#include "processing/json_number.hpp"

namespace switchboard::processing {
namespace {

using nlohmann::json;

// Channel-supplied JSON of the wrong type reads as absent: an event the host
// cannot use must still be marked processed, never retried forever.
bool flag(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::string string_or(const json& object, const char* key, const std::string& fallback) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

void apply_contact_update(store::Store& store, const store::StoredEvent& event, const json& payload) {
  store::ContactUpdate update;
  update.event_id = event.id;
  update.inbox = event.event.inbox;
  update.sender = payload["sender"];
  update.fill_only = flag(payload, "fill_only");
  bool interaction = flag(payload, "interaction");
  // The host's receive time, like messages: the window is the host's to keep.
  if (interaction) update.interaction_at = event.event.received_at;
  update.decision_json =
      json{{"event_id", event.id},
           {"decided", interaction ? "contact updated; counts as an interaction" : "contact updated"}}
          .dump();
  store.apply_contact_update(update);
}

void apply_receipt(store::Store& store, const store::StoredEvent& event, const json& payload) {
  auto found = payload.find("receipt");
  const json receipt = found != payload.end() && found->is_object() ? *found : json::object();
  store::Receipt r;
  r.event_id = event.id;
  r.inbox = event.event.inbox;
  r.sender_id = event.event.sender_id;
  r.status = string_or(receipt, "status", "delivered") == "read" ? "read" : "delivered";
  if (receipt.contains("mids") && receipt["mids"].is_array()) {
    for (const json& id : receipt["mids"]) {
      if (id.is_string()) r.platform_message_ids.push_back(id.get<std::string>());
    }
  }
  r.watermark = receipt.contains("watermark") ? json_number(receipt["watermark"]).value_or(0) : 0;
  r.decision_json = json{{"event_id", event.id}, {"decided", "receipt: " + r.status}}.dump();
  store.apply_receipt(r);
}

}  // namespace

bool apply_channel_event(store::Store& store, const std::string& type, const store::StoredEvent& event,
                         const json& payload) {
  if (type == "contact_update") {
    apply_contact_update(store, event, payload);
    return true;
  }
  if (type == "receipt") {
    apply_receipt(store, event, payload);
    return true;
  }
  return false;
}

}  // namespace switchboard::processing
