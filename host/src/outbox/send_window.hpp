// Whether a human reply could go out now, and until when: asked of the
// channel's own may_send (the rule the outbox applies before every send), so
// the agent sees the same answer before typing that the outbox will give.
// Channels report their window's ends in may_send's result ("free_until",
// "closes_at", ms since the epoch; plugin.h); channels without a window
// (api, email) always allow.
//
// Threads: any; the plugin instance serialises calls that need it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "plugins/plugin_instance.hpp"

namespace switchboard::outbox {

struct SendWindow {
  std::string channel;     // the channel plugin's name ("zalo_oa", "messenger"…)
  bool allowed = true;     // a human reply may be sent now
  bool billable = false;   // allowed, but the platform charges for it
  int64_t free_until = 0;  // end of the free window (0: not reported)
  int64_t closes_at = 0;   // no reply possible after this (0: no limit reported)
  std::string code;        // the channel's code when refused
  std::string reason;      // the channel's reason when refused

  nlohmann::json to_json() const;
};

// Runs the channel's may_send for a human reply to a customer whose last
// message was at `last_inbound_at` (ms, 0: never).
SendWindow probe_send_window(plugins::PluginInstance& channel, const std::string& channel_name,
                             int64_t last_inbound_at);

}  // namespace switchboard::outbox
