// Fuzz target: any JSON body as a Zalo OA webhook event, and any text as an
// X-ZEvent-Signature header. Events of the wrong shape are ignored with a
// reason; nothing crashes or throws, and what is submitted has what the host
// requires (a non-empty string id and sender.id).
#include <cstdint>
#include <string_view>

#include "../../plugins/channels/zalo_oa/src/event_signature.hpp"
#include "../../plugins/channels/zalo_oa/src/webhook_events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string mac = plugins::zalo_oa::mac_of_header(text);
  if (!mac.empty() && mac.size() != 64) __builtin_trap();
  auto body = sdk::Json::parse(text, nullptr, false);
  if (!body.is_object()) return 0;
  auto out = plugins::zalo_oa::to_event(body, {"1234567890123456789", "5550001112223334445"});
  if (out.event.is_null()) return out.ignored.empty() ? (__builtin_trap(), 0) : 0;
  const auto& id = out.event["id"];
  const auto& sender = out.event["sender"];
  if (!id.is_string() || id.get<std::string>().empty() || !sender.is_object() || !sender["id"].is_string() ||
      sender["id"].get<std::string>().empty()) {
    __builtin_trap();  // the host would refuse it
  }
  return 0;
}
