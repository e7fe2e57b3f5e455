// business_hours — inside opening hours the message passes on untouched;
// outside them the conversation gets the closed reply once per closed period
// (not once per message) and a tag, then the pipeline continues so the FAQ
// can still answer at night.
#include <switchboard/calendar/business_calendar.hpp>
#include <switchboard/sdk.hpp>
#include <switchboard/text_template.hpp>

#include <chrono>
#include <map>

namespace switchboard::plugins {

class BusinessHoursHandler : public sdk::Handler {
 public:
  static constexpr const char* kName = "business_hours";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "Outside opening hours: a closed reply once per closed period and a tag; inside: continue";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE | SB_PLUGIN_NON_BLOCKING;
  static constexpr std::array kFields{
      sdk::field("timezone", SB_FIELD_STRING, 0, "\"Asia/Ho_Chi_Minh\"", "IANA time zone of the schedule"),
      sdk::field(
          "weekly", SB_FIELD_OBJECT, SB_FIELD_REQUIRED, nullptr,
          "Opening intervals per day: {\"mon\": [\"07:30-11:30\", \"13:30-17:00\"], …}; a missing day is closed"),
      sdk::field("holidays", SB_FIELD_ARRAY, 0, "[]",
                 "Closed dates: \"2026-01-01\" or ranges \"2026-02-14/2026-02-22\" (Tết: enter each year's range)"),
      sdk::field("exceptions", SB_FIELD_OBJECT, 0, "{}",
                 "One-off hours by date, overriding weekly and holidays: {\"2026-02-13\": [\"08:00-11:00\"]}"),
      sdk::field("per_inbox", SB_FIELD_OBJECT, 0, "{}",
                 "Inbox id -> its own calendar (timezone, weekly, holidays, exceptions) for inboxes that differ"),
      sdk::field("closed_reply", SB_FIELD_STRING, 0,
                 "\"Chào {contact.name|bạn}, hiện đã ngoài giờ làm việc. Chúng tôi sẽ trả lời bạn từ "
                 "{hours.next_open}. Giờ làm việc: {hours.week}. (We are closed now and will answer from "
                 "{hours.next_open}.)\"",
                 "Reply sent once per conversation per closed period; {hours.*} and message fields; empty: none"),
      sdk::field("closed_tag", SB_FIELD_STRING, 0, "\"after_hours\"", "Tag added to messages outside hours"),
      sdk::field("stop_when_closed", SB_FIELD_BOOLEAN, 0, "false",
                 "Stop the pipeline outside hours (default: continue so later steps such as faq still answer)"),
  };

  BusinessHoursHandler(sdk::InstanceContext, const sdk::Json& config)
      : default_(calendar::BusinessCalendar::from_json(calendar_config(config), "calendar")),
        reply_(config.at("closed_reply").get<std::string>()),
        has_reply_(!config.at("closed_reply").get<std::string>().empty()),
        tag_(config.at("closed_tag").get<std::string>()),
        stop_(config.at("stop_when_closed").get<bool>()) {
    for (const auto& [inbox, calendar] : config.at("per_inbox").items()) {
      per_inbox_.emplace(inbox, calendar::BusinessCalendar::from_json(calendar, "per_inbox/" + inbox));
    }
  }

  sdk::Action on_message(sdk::MessageCall& call, const sdk::Json& message) override {
    int64_t now = time_of(message);
    const calendar::BusinessCalendar& calendar = calendar_for(message.value("inbox", ""));
    if (calendar.is_open(now)) return sdk::Action::Continue;
    if (!tag_.empty()) call.tag(tag_);
    // The closed period is named by the opening that ends it: one notice each.
    int64_t period = calendar.next_open(now).value_or(-1);
    auto notified = call.state("closed_notice");
    if (has_reply_ && !(notified && notified->is_number_integer() && notified->get<int64_t>() == period)) {
      sdk::Json scope = message;
      scope["hours"] = calendar.variables(now);
      call.reply_text(reply_.render(scope));
      call.set_state("closed_notice", period);
    }
    return stop_ ? sdk::Action::Stop : sdk::Action::Continue;
  }

 private:
  static sdk::Json calendar_config(const sdk::Json& config) {
    return {{"timezone", config.at("timezone")},
            {"weekly", config.at("weekly")},
            {"holidays", config.at("holidays")},
            {"exceptions", config.at("exceptions")}};
  }

  const calendar::BusinessCalendar& calendar_for(const std::string& inbox) const {
    auto it = per_inbox_.find(inbox);
    return it != per_inbox_.end() ? it->second : default_;
  }

  // The message's own time, so a replayed event is judged as it arrived.
  static int64_t time_of(const sdk::Json& message) {
    if (auto ms = calendar::parse_rfc3339_ms(message.value("received_at", ""))) return *ms;
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  calendar::BusinessCalendar default_;
  std::map<std::string, calendar::BusinessCalendar> per_inbox_;
  sdk::TextTemplate reply_;
  bool has_reply_;
  std::string tag_;
  bool stop_;
};

}  // namespace switchboard::plugins

SWITCHBOARD_PLUGIN(switchboard::plugins::BusinessHoursHandler)
