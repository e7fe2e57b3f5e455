// handoff — sends the conversation to a human department's queue: the first
// routing rule that matches decides department, priority and reason, else
// the default department. The customer is told (in Vietnamese first) who
// takes over; the host then keeps the bot quiet until resolve or "return to
// bot", and the queue assigns an agent.
#include <switchboard/sdk.hpp>
#include <switchboard/text_template.hpp>

#include "routing_rule.hpp"

namespace switchboard::plugins::handoff {

class HandoffHandler : public sdk::Handler {
 public:
  static constexpr const char* kName = "handoff";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "Routes the conversation to a department queue by rules and tells the customer";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE | SB_PLUGIN_NON_BLOCKING;
  static constexpr std::array kFields{
      sdk::field("rules", SB_FIELD_ARRAY, 0, "[]",
                 "Ordered rules: {intent, tags, channel, inbox, attributes, keywords, department, priority, reason}"),
      sdk::field("default_department", SB_FIELD_STRING, 0, nullptr,
                 "Department when no rule matches; without it an unmatched message continues"),
      sdk::field("default_priority", SB_FIELD_STRING, 0, "\"normal\"", "low, normal, high or urgent"),
      sdk::field("names", SB_FIELD_OBJECT, 0, "{}", "Department id -> name the customer reads, for {department}"),
      sdk::field("message", SB_FIELD_STRING, 0,
                 "\"Dạ, tin nhắn của {contact.name|bạn} đã được chuyển tới bộ phận {department}. Nhân viên sẽ trả lời "
                 "sớm nhất có thể ạ. / Your message has been passed to {department}; a person will reply soon.\"",
                 "Told to the customer on handoff (\"\" for nothing); {department}, {position} in the queue, "
                 "{eta} (\"khoảng 10 phút\", or when a closed department opens) and message fields"),
  };

  HandoffHandler(sdk::InstanceContext ctx, const sdk::Json& config)
      : default_department_(config.value("default_department", "")),
        default_priority_(parse_priority(config.at("default_priority").get<std::string>(), "default_priority")),
        names_(config.at("names")),
        message_(config.at("message").get<std::string>()),
        has_message_(!config.at("message").get<std::string>().empty()) {
    const sdk::Json& rules = config.at("rules");
    for (std::size_t i = 0; i < rules.size(); ++i) {
      rules_.push_back(parse_rule(rules[i], i, ctx));
      uses_keywords_ = uses_keywords_ || !rules_.back().keywords.empty();
    }
  }

  sdk::Action on_message(sdk::MessageCall& call, const sdk::Json& message) override {
    // Only what a customer wrote is routed: a follow (no text) asks for no
    // one, and a default department would queue an empty conversation.
    if (message.value("type", "message") != "message") return sdk::Action::Continue;
    std::string folded = uses_keywords_ ? fold_for_matching(call, message.value("text", "")) : std::string();
    const RoutingRule* rule = first_match(message, folded);
    if (rule == nullptr && default_department_.empty()) return sdk::Action::Continue;
    std::string department = rule ? rule->department : default_department_;
    sdk::Priority priority = rule ? rule->priority : default_priority_;
    call.assign(department, priority, rule ? rule->reason : "no rule matched: default department");
    call.tag("handoff");
    if (has_message_) {
      call.reply({{"text", message_.render(with_department(message, department))}, {"queue_variables", true}});
    }
    return sdk::Action::Stop;
  }

 private:
  // Shorthand expanded where the host offers it (ABI 1.1 hosts with an
  // expansion table), plain folding otherwise.
  static std::string fold_for_matching(sdk::MessageCall& call, const std::string& text) {
    try {
      return call.fold(text, SB_TEXT_FOLD_EXPAND);
    } catch (const sdk::Error& e) {
      if (e.status() != SB_ERR_UNSUPPORTED) throw;
      return call.fold(text, SB_TEXT_FOLD);
    }
  }

  const RoutingRule* first_match(const sdk::Json& message, const std::string& folded) const {
    for (const auto& rule : rules_) {
      if (rule.matches(message, folded)) return &rule;
    }
    return nullptr;
  }

  // {position} and {eta} stay as written: the host fills them in when the
  // conversation joins the queue ("queue_variables" on the reply).
  sdk::Json with_department(sdk::Json message, const std::string& id) const {
    message["department"] = names_.contains(id) && names_[id].is_string() ? names_[id] : sdk::Json(id);
    message["position"] = "{position}";
    message["eta"] = "{eta}";
    return message;
  }

  std::vector<RoutingRule> rules_;
  std::string default_department_;
  sdk::Priority default_priority_;
  sdk::Json names_;
  sdk::TextTemplate message_;
  bool has_message_;
  bool uses_keywords_ = false;
};

}  // namespace switchboard::plugins::handoff

SWITCHBOARD_PLUGIN(switchboard::plugins::handoff::HandoffHandler)
