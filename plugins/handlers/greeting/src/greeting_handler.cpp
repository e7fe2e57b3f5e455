// greeting — welcomes a customer who follows the page/OA (a "follow" event)
// and greets the first message of a conversation, once. Later steps still
// run for a first message, so its question gets answered too.
#include <switchboard/sdk.hpp>
#include <switchboard/text_template.hpp>

namespace switchboard::plugins {

class GreetingHandler : public sdk::Handler {
 public:
  static constexpr const char* kName = "greeting";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Welcomes followers and greets the first message of a conversation";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE | SB_PLUGIN_NON_BLOCKING;
  static constexpr std::array kFields{
      sdk::field("text", SB_FIELD_STRING, 0,
                 "\"Chào {contact.name|bạn}! Cảm ơn bạn đã nhắn tin, chúng tôi có thể giúp gì ạ? (Hello! Thanks "
                 "for your message — how can we help?)\"",
                 "Greeting for the first message of a conversation"),
      sdk::field("follow_text", SB_FIELD_STRING, 0, "\"\"", "Welcome for a follow event; empty: the same as text"),
      sdk::field("on_follow", SB_FIELD_BOOLEAN, 0, "true", "Welcome follow events (then stop: there is no question)"),
      sdk::field("on_first_message", SB_FIELD_BOOLEAN, 0, "true", "Greet the first message of each conversation"),
  };

  GreetingHandler(sdk::InstanceContext, const sdk::Json& config)
      : text_(config.at("text").get<std::string>()),
        follow_text_(config.at("follow_text").get<std::string>().empty() ? config.at("text").get<std::string>()
                                                                         : config.at("follow_text").get<std::string>()),
        on_follow_(config.at("on_follow").get<bool>()),
        on_first_message_(config.at("on_first_message").get<bool>()) {
    if (config.at("text").get<std::string>().empty()) throw sdk::ConfigError("text: must not be empty");
  }

  sdk::Action on_message(sdk::MessageCall& call, const sdk::Json& message) override {
    std::string type = message.value("type", "message");
    if (type == "follow") {
      if (!on_follow_) return sdk::Action::Continue;
      call.reply_text(follow_text_.render(message));
      call.set_state("greeted", true);
      call.tag("followed");
      return sdk::Action::Stop;
    }
    if (!on_first_message_ || call.state("greeted") || !first_of_conversation(message)) {
      return sdk::Action::Continue;
    }
    call.reply_text(text_.render(message));
    call.set_state("greeted", true);
    return sdk::Action::Continue;
  }

 private:
  static bool first_of_conversation(const sdk::Json& message) {
    auto it = message.find("conversation");
    return it != message.end() && it->is_object() && it->value("new", false);
  }

  sdk::TextTemplate text_;
  sdk::TextTemplate follow_text_;
  bool on_follow_;
  bool on_first_message_;
};

}  // namespace switchboard::plugins

SWITCHBOARD_PLUGIN(switchboard::plugins::GreetingHandler)
