// Send API rules that need no network: the messaging window (which
// messaging_type/tag a send may use, or why it may not be sent), splitting
// long texts at the platform limit, and classifying Graph API errors.
#pragma once

#include <switchboard/plugin.h>
#include <switchboard/plugins/http_delivery.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::messenger {

struct WindowPolicy {
  int64_t standard_ms = 24LL * 3600 * 1000;         // RESPONSE window after the customer's last message
  int64_t human_agent_ms = 7LL * 24 * 3600 * 1000;  // MESSAGE_TAG + HUMAN_AGENT window for humans
  bool human_agent_tag = true;                      // the Page has the Human Agent permission
};

struct WindowDecision {
  bool allowed = false;
  std::string messaging_type;  // "RESPONSE" or "MESSAGE_TAG"
  std::string tag;             // "HUMAN_AGENT" with MESSAGE_TAG
  std::string reason;          // why not, when !allowed
  int64_t closes_at = 0;       // ms since the epoch: no such message after this (0: never messaged)
};

// last_inbound_at and now in ms since the epoch; automated = a bot reply.
WindowDecision decide_window(int64_t last_inbound_at, int64_t now, bool automated, const WindowPolicy& policy);

// Splits UTF-8 text into pieces of at most max_chars code points, preferring
// to break after a space or newline in the second half of a piece. Bytes are
// never altered (NFC text stays NFC).
std::vector<std::string> split_text(std::string_view text, std::size_t max_chars);

struct SendFailure {
  sb_status status = SB_ERR_RETRY;
  std::string code;    // "<code>" or "<code>/<error_subcode>"; HTTP status when no Graph error
  std::string reason;  // for set_error
  bool alert = false;  // the Page token is unusable: an operator must act
  int64_t retry_after_ms = -1;
};

// What a non-2xx (or missing) Send API answer means for the outbox.
SendFailure classify_failure(const HttpOutcome& outcome);

}  // namespace switchboard::plugins::messenger
