// The event JSON → the store's ContactUpdate / Receipt.
#include "processing/channel_event_effects.hpp"

namespace switchboard::processing {
namespace {

using nlohmann::json;

int64_t number_of(const json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (!s.empty() && s.size() < 19 && s.find_first_not_of("0123456789") == std::string::npos) return std::stoll(s);
  }
  return 0;
}

void apply_contact_update(store::Store& store, const store::StoredEvent& event, const json& payload) {
  store::ContactUpdate update;
  update.event_id = event.id;
  update.inbox = event.event.inbox;
  update.sender = payload["sender"];
  update.fill_only = payload.value("fill_only", false);
  bool interaction = payload.value("interaction", false);
  // The host's receive time, like messages: the window is the host's to keep.
  if (interaction) update.interaction_at = event.event.received_at;
  update.decision_json =
      json{{"event_id", event.id},
           {"decided", interaction ? "contact updated; counts as an interaction" : "contact updated"}}
          .dump();
  store.apply_contact_update(update);
}

void apply_receipt(store::Store& store, const store::StoredEvent& event, const json& payload) {
  const json& receipt = payload.value("receipt", json::object());
  store::Receipt r;
  r.event_id = event.id;
  r.inbox = event.event.inbox;
  r.sender_id = event.event.sender_id;
  r.status = receipt.value("status", "delivered") == "read" ? "read" : "delivered";
  if (receipt.contains("mids") && receipt["mids"].is_array()) {
    for (const json& id : receipt["mids"]) {
      if (id.is_string()) r.platform_message_ids.push_back(id.get<std::string>());
    }
  }
  r.watermark = number_of(receipt.value("watermark", json()));
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
