// intent — classifies a message with the RE2 patterns of intent packs and
// records the best intent (set_intent + its tags). An intent may also reply,
// assign the conversation (emergency → urgent handoff) and stop the pipeline.
#include <switchboard/sdk.hpp>
#include <switchboard/text_template.hpp>

#include <map>

#include "intent_matcher.hpp"

namespace switchboard::plugins::intent {

class IntentHandler : public sdk::Handler {
 public:
  static constexpr const char* kName = "intent";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "Classifies messages with RE2 intent packs over folded, shorthand-expanded text";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE | SB_PLUGIN_NON_BLOCKING;
  static constexpr std::array kFields{
      sdk::field("packs", SB_FIELD_PATH_ARRAY, SB_FIELD_REQUIRED, nullptr,
                 "Intent pack files (JSON, see intents/README.md), relative to the config file"),
      sdk::field("min_score", SB_FIELD_NUMBER, 0, "0.5",
                 "Lowest score (0-1) that counts as a match; below it no intent is set"),
      sdk::field("unmatched_tag", SB_FIELD_STRING, 0, "\"\"", "Tag added when no intent matches; empty: none"),
  };

  IntentHandler(sdk::InstanceContext, const sdk::Json& config)
      : matcher_(load(config.at("packs"))),
        min_score_(config.at("min_score").get<double>()),
        unmatched_tag_(config.at("unmatched_tag").get<std::string>()) {
    if (min_score_ <= 0 || min_score_ > 1) throw sdk::ConfigError("min_score: must be in (0, 1]");
    for (const IntentSpec& spec : matcher_.intents()) {
      if (spec.action.reply) replies_.emplace(spec.name, sdk::TextTemplate(*spec.action.reply));
    }
  }

  sdk::Action on_message(sdk::MessageCall& call, const sdk::Json& message) override {
    std::string text = message.value("text", "");
    if (text.empty()) return sdk::Action::Continue;
    std::string folded = call.fold(text, SB_TEXT_FOLD_EXPAND);
    // The shipped packs match folded text only: NFC only when a pack needs it.
    std::string original = matcher_.has_original_patterns() ? call.fold(text, SB_TEXT_NFC) : std::string();
    auto match = matcher_.classify(folded, original, min_score_);
    if (!match) {
      if (!unmatched_tag_.empty()) call.tag(unmatched_tag_);
      return sdk::Action::Continue;
    }
    return act(call, message, *match);
  }

 private:
  static std::vector<IntentSpec> load(const sdk::Json& packs) {
    if (packs.empty()) throw sdk::ConfigError("packs: give at least one intent pack");
    std::vector<IntentSpec> all;
    for (const auto& file : packs) {
      for (auto& spec : load_pack(file.get<std::string>())) all.push_back(std::move(spec));
    }
    return all;
  }

  sdk::Action act(sdk::MessageCall& call, const sdk::Json& message, const IntentMatch& match) {
    const IntentSpec& spec = *match.intent;
    call.set_intent(spec.name, match.score);
    for (const auto& tag : spec.tags) call.tag(tag);
    if (auto it = replies_.find(spec.name); it != replies_.end()) call.reply_text(it->second.render(message));
    if (spec.action.queue) call.assign(*spec.action.queue, spec.action.priority, "intent " + spec.name);
    return spec.action.stop ? sdk::Action::Stop : sdk::Action::Continue;
  }

  IntentMatcher matcher_;
  double min_score_;
  std::string unmatched_tag_;
  std::map<std::string, sdk::TextTemplate> replies_;
};

}  // namespace switchboard::plugins::intent

SWITCHBOARD_PLUGIN(switchboard::plugins::intent::IntentHandler)
