// The message handlers receive (on_message's message_json), in one place so
// `try`, the durable flow and the plugin guide agree on its shape:
//   {"id", "inbox", "channel", "type", "text", "attachments",
//    "contact": {"id", "name", …}, "conversation": {"id", "state", "new"},
//    "received_at"}
// plus "tags", "attributes", "intent" added per step by the runner.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace switchboard::pipeline {

struct InboundMessage {
  std::string id;       // channel-native message id (Zalo msg_id, Messenger mid, email Message-ID)
  std::string inbox;    // inbox id from the config
  std::string channel;  // channel plugin name
  std::string type = "message";
  std::string text;
  nlohmann::json attachments = nlohmann::json::array();
  nlohmann::json contact = nlohmann::json::object();  // at least "id"; "name" when known
  std::string conversation_id;
  std::string conversation_state = "bot";  // bot | queued | assigned | resolved | snoozed
  bool conversation_new = true;
  std::string received_at;  // RFC 3339, UTC

  nlohmann::json to_json() const {
    return {{"id", id},
            {"inbox", inbox},
            {"channel", channel},
            {"type", type},
            {"text", text},
            {"attachments", attachments},
            {"contact", contact},
            {"conversation", {{"id", conversation_id}, {"state", conversation_state}, {"new", conversation_new}}},
            {"received_at", received_at}};
  }
};

}  // namespace switchboard::pipeline
