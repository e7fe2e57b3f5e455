// example_echo — replies with the text it received, behind a configurable
// prefix, and stops the pipeline. A copy-me starting point for partners:
// one class, its descriptor (name, version, config fields), one callback.
#include <switchboard/sdk.hpp>

#include <string>

namespace example {

namespace sdk = switchboard::sdk;

class EchoHandler : public sdk::Handler {
 public:
  // Plugin names are global in a Switchboard install: prefix yours (company or
  // product) so it never clashes with a first-party plugin.
  static constexpr const char* kName = "example_echo";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Replies with the customer's own text (an SDK example)";
  // No shared mutable state and no I/O: the host may call it from many threads
  // at once and run it inline.
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE | SB_PLUGIN_NON_BLOCKING;
  // The host validates the instance's config against these and fills
  // defaults, so the constructor can read every key without checking.
  static constexpr std::array kFields{
      sdk::field("prefix", SB_FIELD_STRING, 0, "\"Bạn đã gửi: \"", "Text put before the echoed message"),
      sdk::field("max_length", SB_FIELD_INTEGER, 0, "500", "Longest echo in bytes; longer texts are cut"),
  };

  EchoHandler(sdk::InstanceContext ctx, const sdk::Json& config)
      : prefix_(config.at("prefix").get<std::string>()), max_length_(config.at("max_length").get<int64_t>()) {
    if (max_length_ < 1) throw sdk::ConfigError("max_length: must be at least 1");
    ctx.debug("example_echo ready");
  }

  sdk::Action on_message(sdk::MessageCall& call, const sdk::Json& message) override {
    std::string text = message.value("text", "");
    if (text.empty()) return sdk::Action::Continue;  // stickers, images: leave them to later steps
    call.tag("echoed");
    call.reply_text(prefix_ + cut_utf8(text, static_cast<std::size_t>(max_length_)));
    return sdk::Action::Stop;
  }

 private:
  // Cuts at most `limit` bytes without splitting a UTF-8 sequence.
  static std::string cut_utf8(const std::string& text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
  }

  std::string prefix_;
  int64_t max_length_;
};

}  // namespace example

SWITCHBOARD_PLUGIN(example::EchoHandler)
