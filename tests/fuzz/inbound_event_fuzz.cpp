// Fuzz target: what a channel plugin may submit as an inbound event. The
// host must accept or refuse it with a reason, never crash or throw.
#include <cstdint>
#include <string>
#include <string_view>

#include "processing/inbound_event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  switchboard::store::InboundEvent event;
  std::string why;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bool ok = switchboard::processing::parse_inbound_event("fuzz", text, 1, event, why);
  if (!ok && why.empty()) __builtin_trap();  // a refusal always says why
  return 0;
}
