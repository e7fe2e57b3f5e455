// faq — answers frequent questions from FAQ packs. Questions are matched on
// the host's expanded fold with BM25 (faq_index.hpp); above min_score the
// entry's next answer variant is sent and the pipeline stops, below it the
// question is recorded for review (`switchboard faq-misses`) and the next
// step runs.
#include <switchboard/calendar/business_calendar.hpp>
#include <switchboard/sdk.hpp>
#include <switchboard/text_template.hpp>

#include <mutex>

#include "faq_index.hpp"
#include "faq_pack.hpp"

namespace switchboard::plugins::faq {

class FaqHandler : public sdk::Handler {
 public:
  static constexpr const char* kName = "faq";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Answers frequent questions from FAQ packs (BM25 over folded text)";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE | SB_PLUGIN_NON_BLOCKING;
  static constexpr std::array kFields{
      sdk::field("packs", SB_FIELD_PATH_ARRAY, SB_FIELD_REQUIRED, nullptr,
                 "FAQ pack files (JSON, see intents/README.md), relative to the config file"),
      sdk::field("min_score", SB_FIELD_NUMBER, 0, "0.6", "Lowest confidence (0-1) that is answered"),
      sdk::field("max_answers_per_hour", SB_FIELD_INTEGER, 0, "10",
                 "Answers per conversation (one per contact and inbox) in any hour; 0: no limit"),
      sdk::field("intent_boost", SB_FIELD_NUMBER, 0, "0.15",
                 "Added to the confidence of an entry linked to the intent an earlier step set"),
      sdk::field("skip_intents", SB_FIELD_STRING_ARRAY, 0,
                 "[\"emergency\", \"medical_question\", \"complaint\", \"human\", \"greeting\", \"thanks\"]",
                 "Intents never answered from the FAQ (left to people or other steps)"),
      sdk::field("record_misses", SB_FIELD_BOOLEAN, 0, "true",
                 "Record unanswered questions durably for `switchboard faq-misses`"),
      sdk::field("hours", SB_FIELD_OBJECT, 0, "{}",
                 "Business calendar for {hours.today}, {hours.week}, {hours.next_open} in answers (as business_hours)"),
  };

  FaqHandler(sdk::InstanceContext ctx, const sdk::Json& config)
      : min_score_(config.at("min_score").get<double>()),
        max_per_hour_(config.at("max_answers_per_hour").get<int64_t>()),
        intent_boost_(config.at("intent_boost").get<double>()),
        skip_intents_(config.at("skip_intents").begin(), config.at("skip_intents").end()),
        record_misses_(config.at("record_misses").get<bool>()) {
    if (min_score_ <= 0 || min_score_ > 1) throw sdk::ConfigError("min_score: must be in (0, 1]");
    if (max_per_hour_ < 0) throw sdk::ConfigError("max_answers_per_hour: must be 0 or more");
    FaqPack pack;
    if (config.at("packs").empty()) throw sdk::ConfigError("packs: give at least one FAQ pack");
    for (const auto& file : config.at("packs")) load_pack(file.get<std::string>(), pack);
    build(ctx, pack);
    if (!config.at("hours").empty()) {
      hours_.emplace(calendar::BusinessCalendar::from_json(config.at("hours"), "hours"));
    }
  }

  sdk::Action on_message(sdk::MessageCall& call, const sdk::Json& message) override {
    std::string text = message.value("text", "");
    if (text.empty()) return sdk::Action::Continue;
    std::string intent = intent_of(message);
    if (skip_intents_.count(intent) != 0) return sdk::Action::Continue;
    std::string folded = call.fold(text, SB_TEXT_FOLD_EXPAND);
    auto hit = index_->best(folded);
    if (hit && !intent.empty() && entries_[hit->entry].intent == intent) {
      hit->score = std::min(1.0, hit->score + intent_boost_);
    }
    if (!hit || hit->score + 1e-9 < min_score_) {
      record_miss(call, text, folded, message);
      call.tag("faq_miss");
      return sdk::Action::Continue;
    }
    int64_t now = time_of(message);
    if (!within_rate(call, now)) {
      call.tag("faq_rate_limited");
      return sdk::Action::Continue;
    }
    answer(call, message, *hit, now);
    return sdk::Action::Stop;
  }

 private:
  struct Entry {
    std::string id;
    std::string intent;
    std::vector<sdk::TextTemplate> answers;
  };

  void build(sdk::InstanceContext& ctx, const FaqPack& pack) {
    std::vector<std::vector<std::string>> questions;
    for (const FaqEntry& entry : pack.entries) {
      Entry built{entry.id, entry.intent, {}};
      for (const auto& answer : entry.answers) {
        try {
          built.answers.emplace_back(answer);
        } catch (const sdk::ConfigError& e) {
          throw sdk::ConfigError("entry '" + entry.id + "': answer: " + e.what());
        }
      }
      entries_.push_back(std::move(built));
      std::vector<std::string> folded;
      for (const auto& question : entry.questions) folded.push_back(ctx.fold(question, SB_TEXT_FOLD_EXPAND));
      questions.push_back(std::move(folded));
    }
    std::set<std::string> stopwords;
    for (const auto& word : pack.stopwords) stopwords.insert(ctx.fold(word, SB_TEXT_FOLD));
    index_.emplace(questions, std::move(stopwords));
  }

  static std::string intent_of(const sdk::Json& message) {
    auto it = message.find("intent");
    if (it == message.end() || !it->is_object()) return {};
    return it->value("name", "");
  }

  // The message's own time, so a replayed event behaves as it did.
  static int64_t time_of(const sdk::Json& message) {
    if (auto ms = calendar::parse_rfc3339_ms(message.value("received_at", ""))) return *ms;
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Per conversation (= per contact and inbox): the answer times of the last hour.
  bool within_rate(sdk::MessageCall& call, int64_t now) {
    if (max_per_hour_ == 0) return true;
    std::vector<int64_t> recent;
    if (auto state = call.state("answered_at"); state && state->is_array()) {
      for (const auto& at : *state) {
        if (at.is_number_integer() && at.get<int64_t>() > now - 3600000) recent.push_back(at.get<int64_t>());
      }
    }
    if (static_cast<int64_t>(recent.size()) >= max_per_hour_) return false;
    recent.push_back(now);
    call.set_state("answered_at", recent);
    return true;
  }

  void answer(sdk::MessageCall& call, const sdk::Json& message, const FaqHit& hit, int64_t now) {
    const Entry& entry = entries_[hit.entry];
    // Variants in turn per conversation, so a customer asking twice gets new words.
    std::string key = "variant/" + entry.id;
    int64_t turn = 0;
    if (auto state = call.state(key); state && state->is_number_integer()) turn = state->get<int64_t>();
    call.set_state(key, turn + 1);
    sdk::Json scope = message;
    if (hours_) scope["hours"] = hours_->variables(now);
    call.reply_text(entry.answers[static_cast<std::size_t>(turn) % entry.answers.size()].render(scope));
    call.set_attribute("faq", {{"id", entry.id}, {"score", hit.score}});
    call.tag("faq_answered");
  }

  // Durable at once (kv, not conversation state): a miss must survive even
  // when a later step fails the run. Keys are the folded question, so
  // wordings that fold alike count together.
  void record_miss(sdk::MessageCall& call, const std::string& text, const std::string& folded,
                   const sdk::Json& message) {
    if (!record_misses_ || folded.empty()) return;
    std::string key = "miss/" + folded.substr(0, 200);
    std::lock_guard<std::mutex> lock(miss_mutex_);  // read-modify-write of one counter
    sdk::Json value = {{"count", 0}, {"text", text.substr(0, 500)}};
    if (auto stored = call.kv_get(key)) {
      auto parsed = sdk::Json::parse(*stored, nullptr, false);
      if (parsed.is_object()) value = parsed;
    }
    value["count"] = value.value("count", int64_t{0}) + 1;
    value["last_at"] = message.value("received_at", "");
    call.kv_set(key, value.dump());
  }

  double min_score_;
  int64_t max_per_hour_;
  double intent_boost_;
  std::set<std::string> skip_intents_;
  bool record_misses_;
  std::vector<Entry> entries_;
  std::optional<FaqIndex> index_;
  std::optional<calendar::BusinessCalendar> hours_;
  std::mutex miss_mutex_;
};

}  // namespace switchboard::plugins::faq

SWITCHBOARD_PLUGIN(switchboard::plugins::faq::FaqHandler)
