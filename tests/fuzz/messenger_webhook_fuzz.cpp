// Fuzz target: any JSON body as a Messenger webhook batch. Items of the
// wrong shape are skipped with a reason; nothing crashes or throws.
#include <cstdint>
#include <string_view>

#include "webhook_events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  auto body = sdk::Json::parse(std::string_view(reinterpret_cast<const char*>(data), size), nullptr, false);
  if (!body.is_object()) return 0;
  auto batch = plugins::messenger::to_events(body, {"1234", "5678"});
  for (const auto& event : batch.events) {
    if (!event.contains("id") || !event.contains("sender")) __builtin_trap();  // the host would refuse it
  }
  return 0;
}
