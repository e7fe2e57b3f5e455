#include "processing/inbound_event.hpp"

namespace switchboard::processing {
namespace {

bool non_empty_string(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

}  // namespace

bool parse_inbound_event(const std::string& inbox, std::string_view event_json, store::Millis now,
                         store::InboundEvent& out, std::string& why) {
  auto event = nlohmann::json::parse(event_json, nullptr, false);
  if (!event.is_object()) return why = "event is not a JSON object", false;
  if (!non_empty_string(event, "id")) return why = "event needs a non-empty string \"id\"", false;
  auto sender = event.find("sender");
  if (sender == event.end() || !sender->is_object() || !non_empty_string(*sender, "id")) {
    return why = "event needs \"sender\": {\"id\": non-empty string}", false;
  }
  bool typed = event.contains("type");
  if (typed && !event["type"].is_string()) return why = "event \"type\" must be a string", false;
  if (!typed) event["type"] = "message";
  out.inbox = inbox;
  out.channel_message_id = event["id"].get<std::string>();
  out.sender_id = (*sender)["id"].get<std::string>();
  // Keep the plugin's own text unless the host completed it: no second dump on the webhook path.
  out.payload_json = typed ? std::string(event_json) : event.dump();
  out.received_at = now;
  return true;
}

}  // namespace switchboard::processing
