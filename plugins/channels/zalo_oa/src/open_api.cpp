// The error table is the spec's §8.1; a code it does not list is retried
// (the outbox gives up after its attempt limit), an HTTP failure follows the
// status (5xx and no answer retry, other 4xx are permanent).
#include "open_api.hpp"

namespace switchboard::plugins::zalo_oa {
namespace {

bool utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

SendFailure failure(FailureKind kind, int code, const std::string& message, const char* meaning) {
  SendFailure f;
  f.kind = kind;
  f.code = std::to_string(code);
  f.reason = "Zalo error " + f.code + " (" + meaning + "): " + message;
  return f;
}

}  // namespace

WindowDecision decide_window(int64_t last_inbound_at, int64_t now, const WindowPolicy& policy) {
  WindowDecision d;
  if (last_inbound_at <= 0) {
    d.code = "no_interaction";
    d.reason =
        "Người dùng chưa tương tác với OA: không thể gửi tin tư vấn / the user never interacted with the OA: "
        "no consultation message may be sent";
    return d;
  }
  int64_t age = now - last_inbound_at;
  d.free_until = last_inbound_at + policy.free_ms;
  d.closes_at = last_inbound_at + policy.window_ms;
  if (age > policy.window_ms) {
    d.code = "window_closed";
    d.reason = "Đã quá " + std::to_string(policy.window_ms / kDayMs) +
               " ngày kể từ lần tương tác cuối: cần tin mẫu ZNS/ZBS / more than " +
               std::to_string(policy.window_ms / kDayMs) +
               " days since the user's last interaction: Zalo refuses consultation messages (use a template message)";
    return d;
  }
  d.allowed = true;
  d.billable = age > policy.free_ms;
  return d;
}

std::vector<std::string> split_text(std::string_view text, std::size_t max_chars) {
  std::vector<std::string> pieces;
  if (max_chars == 0) max_chars = 1;
  std::size_t total = 0;
  for (char c : text) total += utf8_continuation(c) ? 0 : 1;
  if (total <= max_chars) {
    if (!text.empty()) pieces.emplace_back(text);  // fits: sent exactly as given
    return pieces;
  }
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty()) {
    // Walk max_chars code points; remember the last break opportunity.
    std::size_t pos = 0, chars = 0, last_break = 0;
    while (pos < text.size() && chars < max_chars) {
      ++pos;
      while (pos < text.size() && utf8_continuation(text[pos])) ++pos;
      ++chars;
      if (space(text[pos - 1])) last_break = pos;
    }
    bool word_ends_here = pos == text.size() || space(text[pos]);
    std::size_t cut = word_ends_here || last_break == 0 ? pos : last_break;
    std::string_view piece = text.substr(0, cut);
    while (!piece.empty() && space(piece.back())) piece.remove_suffix(1);
    if (!piece.empty()) pieces.emplace_back(piece);
    text.remove_prefix(cut);
    while (!text.empty() && space(text.front())) text.remove_prefix(1);  // the break itself
  }
  return pieces;
}

ApiAnswer read_answer(const HttpOutcome& outcome) {
  ApiAnswer answer;
  if (outcome.status != 200) return answer;
  auto json = sdk::Json::parse(outcome.body, nullptr, false);
  if (!json.is_object() || !json.contains("error")) return answer;
  const sdk::Json& error = json["error"];
  if (error.is_number_integer()) {
    answer.error = error.get<int>();
  } else if (error.is_string()) {
    try {
      answer.error = std::stoi(error.get<std::string>());
    } catch (const std::exception&) {
      return answer;
    }
  } else {
    return answer;
  }
  answer.answered = true;
  answer.message = json.value("message", "");
  if (json.contains("data")) answer.data = json["data"];
  return answer;
}

int64_t ms_until_morning_vn(int64_t now) {
  const int64_t offset = 7LL * 3600 * 1000;
  int64_t local = now + offset;
  int64_t day_start = local - ((local % kDayMs) + kDayMs) % kDayMs;
  int64_t morning = day_start + 6LL * 3600 * 1000;
  if (morning <= local) morning += kDayMs;
  return morning - local;
}

SendFailure classify_failure(const HttpOutcome& outcome, const ApiAnswer& answer, int64_t now,
                             const RetryPolicy& policy) {
  if (!answer.answered) {
    SendFailure f;
    f.retry_after_ms = outcome.retry_after_ms;
    if (outcome.status == 0) {
      f.code = "no_response";
      f.reason = "Zalo Open API unreachable: " + outcome.error;
      return f;
    }
    f.kind = classify_status(outcome.status) == Delivery::Permanent ? FailureKind::Permanent : FailureKind::Retry;
    f.code = std::to_string(outcome.status);
    f.reason = "Zalo Open API answered HTTP " + f.code + " " + outcome.body.substr(0, 200);
    return f;
  }
  const std::string& m = answer.message;
  switch (answer.error) {
    case -216: return failure(FailureKind::Token, -216, m, "access token invalid");
    case -220: return failure(FailureKind::Token, -220, m, "access token expired or removed");
    case -32: {
      SendFailure f = failure(FailureKind::Retry, -32, m, "rate limit");
      f.retry_after_ms = outcome.retry_after_ms > 0 ? outcome.retry_after_ms : policy.rate_limit_ms;
      return f;
    }
    case -200:
    case -214: {
      SendFailure f = failure(FailureKind::Retry, answer.error, m, "temporary failure");
      f.retry_after_ms = policy.transient_ms;
      return f;
    }
    case -211:
    case -218:
    case -311: {
      SendFailure f = failure(FailureKind::Retry, answer.error, m, "quota exhausted; deferred");
      f.retry_after_ms = policy.quota_ms;
      f.alert = answer.error == -211 || answer.error == -311;
      return f;
    }
    case -234: {
      SendFailure f = failure(FailureKind::Retry, -234, m, "not sendable at night; deferred to 06:00");
      f.retry_after_ms = ms_until_morning_vn(now);
      return f;
    }
    case -213: return failure(FailureKind::Permanent, -213, m, "user does not follow the OA");
    case -217: return failure(FailureKind::Permanent, -217, m, "user blocked the OA");
    case -227: return failure(FailureKind::Permanent, -227, m, "user banned or inactive for 45 days");
    case -230:
    case -232:
    case -305: return failure(FailureKind::Permanent, answer.error, m, "no interaction within the window");
    case -244: return failure(FailureKind::Permanent, -244, m, "user restricted this message type");
    case -100:
    case -201:
    case -210:
    case -233:
    case -248: return failure(FailureKind::Permanent, answer.error, m, "message refused");
    case -204:
    case -205:
    case -209:
    case -212:
    case -219:
    case -221:
    case -223:
    case -224:
    case -235:
    case -237:
    case -240:
    case -242:
    case -320:
    case -321: {
      SendFailure f = failure(FailureKind::Permanent, answer.error, m, "OA or App configuration");
      f.alert = true;
      return f;
    }
    default: return failure(FailureKind::Retry, answer.error, m, "unlisted code; retried");
  }
}

}  // namespace switchboard::plugins::zalo_oa
