// Open API rules that need no network: the consultation (CS) window, text
// splitting at the platform limit, reading Zalo's answers (HTTP 200 with
// "error" != 0 for failures) and what each error code means for the outbox.
#pragma once

#include <switchboard/plugin.h>
#include <switchboard/plugins/http_delivery.hpp>
#include <switchboard/sdk.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::zalo_oa {

struct WindowPolicy {
  int64_t window_ms = 7LL * 24 * 3600 * 1000;  // CS sends allowed this long after the last interaction
  int64_t free_ms = 48LL * 3600 * 1000;        // free up to here; billable from here to window_ms
};

struct WindowDecision {
  bool allowed = false;
  bool billable = false;   // between free_ms and window_ms after the interaction
  int64_t free_until = 0;  // ms since the epoch: end of the free part (0: no interaction)
  int64_t closes_at = 0;   // ms since the epoch: end of the whole window (0: no interaction)
  std::string code;        // "no_interaction" | "window_closed" when refused
  std::string reason;      // why not, when !allowed (Vietnamese first, then English)
};

// last_inbound_at and now in ms since the epoch.
WindowDecision decide_window(int64_t last_inbound_at, int64_t now, const WindowPolicy& policy);

// Splits UTF-8 text into pieces of at most max_chars code points, breaking
// after the last whitespace of a piece when it has one (words stay whole);
// a single word longer than max_chars is cut at a code point boundary.
// Whitespace at a break is kept at the end of the earlier piece.
std::vector<std::string> split_text(std::string_view text, std::size_t max_chars);

// A parsed Open API answer.
struct ApiAnswer {
  bool answered = false;  // HTTP 200 with a JSON object carrying "error"
  int error = 0;          // Zalo's code; 0 = success
  std::string message;
  sdk::Json data;  // "data" on success
};
ApiAnswer read_answer(const HttpOutcome& outcome);

enum class FailureKind { Token, Retry, Permanent };

struct SendFailure {
  FailureKind kind = FailureKind::Retry;
  std::string code;             // Zalo's code as text ("-230"), or the HTTP status / "no_response"
  std::string reason;           // for set_error
  int64_t retry_after_ms = -1;  // with Retry
  bool alert = false;           // an operator must act (config, re-consent, OA package)
};

struct RetryPolicy {
  int64_t rate_limit_ms = 60'000;  // -32: per-minute limit
  int64_t quota_ms = 3'600'000;    // -211, -218: quota exhausted
  int64_t transient_ms = 30'000;   // -200, -214
};

// What an error code (answer.error != 0) or an HTTP failure means; `now` for
// the night ban (-234, until 06:00 Asia/Ho_Chi_Minh).
SendFailure classify_failure(const HttpOutcome& outcome, const ApiAnswer& answer, int64_t now,
                             const RetryPolicy& policy);

// Milliseconds from `now` to the next 06:00 in UTC+7 (Vietnam has no DST).
int64_t ms_until_morning_vn(int64_t now);

}  // namespace switchboard::plugins::zalo_oa
