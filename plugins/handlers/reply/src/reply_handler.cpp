// reply — answers every message it sees with a fixed text, then continues.
// The simplest first-party handler: "đã nhận tin nhắn" acknowledgements, and
// the SDK's first real user.
#include <switchboard/sdk.hpp>
#include <switchboard/text_template.hpp>

namespace switchboard::plugins {

class ReplyHandler : public sdk::Handler {
 public:
  static constexpr const char* kName = "reply";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Replies with a fixed text (with variables) and continues";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE | SB_PLUGIN_NON_BLOCKING;
  static constexpr std::array kFields{
      sdk::field("text", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr,
                 "Reply text; {contact.name} inserts a message field, {contact.name|bạn} gives a fallback"),
      sdk::field("once_per_conversation", SB_FIELD_BOOLEAN, 0, "false",
                 "Reply only to the first message of each conversation"),
  };

  ReplyHandler(sdk::InstanceContext, const sdk::Json& config)
      : text_(config.at("text").get<std::string>()), once_(config.at("once_per_conversation").get<bool>()) {
    if (config.at("text").get<std::string>().empty()) throw sdk::ConfigError("text: must not be empty");
  }

  sdk::Action on_message(sdk::MessageCall& call, const sdk::Json& message) override {
    // Only the first run in a conversation answers; later ones pass through.
    if (once_ && call.state("replied")) return sdk::Action::Continue;
    call.reply_text(text_.render(message));
    if (once_) call.set_state("replied", true);
    return sdk::Action::Continue;
  }

 private:
  sdk::TextTemplate text_;
  bool once_;
};

}  // namespace switchboard::plugins

SWITCHBOARD_PLUGIN(switchboard::plugins::ReplyHandler)
