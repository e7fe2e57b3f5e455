// Text forms of the storage enums (what the database columns hold and what
// operators read; parsing is exact, lower case) and the host's one clock.
#include "store/store.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>

namespace switchboard::store {
namespace {

template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::string& text, const Enum (&values)[N]) {
  for (Enum value : values) {
    if (text == to_string(value)) return value;
  }
  return std::nullopt;
}

// Integration tests move the host's clock (business hours, SLA deadlines)
// without waiting: SWITCHBOARD_TEST_CLOCK_FILE names a file holding an offset
// in ms added to the system clock, read on every call so a test can change
// it while the host runs. Unset (production), it costs one cached lookup.
Millis test_clock_offset() {
  static const char* file = std::getenv("SWITCHBOARD_TEST_CLOCK_FILE");
  if (file == nullptr) return 0;
  std::ifstream in(file);
  Millis offset = 0;
  in >> offset;
  return in ? offset : 0;
}

// The default of a *_async call with a result: the blocking call, now, told
// to `done` as (result, nullptr) or ({}, error).
template <class Call, class Done>
void answer_now(Call call, Done& done) {
  decltype(call()) result;
  try {
    result = call();
  } catch (...) {
    return done({}, std::current_exception());
  }
  done(std::move(result), nullptr);
}

}  // namespace

const char* to_string(ConversationState state) {
  switch (state) {
    case ConversationState::Bot: return "bot";
    case ConversationState::Queued: return "queued";
    case ConversationState::Assigned: return "assigned";
    case ConversationState::Resolved: return "resolved";
    case ConversationState::Snoozed: return "snoozed";
  }
  return "bot";
}

std::optional<ConversationState> parse_conversation_state(const std::string& text) {
  static constexpr ConversationState kAll[] = {ConversationState::Bot, ConversationState::Queued,
                                               ConversationState::Assigned, ConversationState::Resolved,
                                               ConversationState::Snoozed};
  return parse_name(text, kAll);
}

const char* to_string(Controller controller) { return controller == Controller::Human ? "human" : "bot"; }

std::optional<Controller> parse_controller(const std::string& text) {
  static constexpr Controller kAll[] = {Controller::Bot, Controller::Human};
  return parse_name(text, kAll);
}

const char* to_string(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::Pending: return "pending";
    case OutboxStatus::Sending: return "sending";
    case OutboxStatus::Sent: return "sent";
    case OutboxStatus::Retrying: return "retrying";
    case OutboxStatus::Dead: return "dead";
    case OutboxStatus::Blocked: return "blocked";
  }
  return "pending";
}

std::optional<OutboxStatus> parse_outbox_status(const std::string& text) {
  static constexpr OutboxStatus kAll[] = {OutboxStatus::Pending,  OutboxStatus::Sending, OutboxStatus::Sent,
                                          OutboxStatus::Retrying, OutboxStatus::Dead,    OutboxStatus::Blocked};
  return parse_name(text, kAll);
}

std::string to_rfc3339(Millis ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

Millis now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + test_clock_offset();
}

void Store::ingest_async(std::vector<InboundEvent> events, IngestDone done) {
  answer_now([&] { return ingest(events); }, done);
}

void Store::commit_run_async(RunCommit run, RunCommitted done) {
  answer_now([&] { return commit_run(run); }, done);
}

void Store::outbox_sent_async(Id id, std::string platform_message_id, Millis now, Written done) {
  try {
    outbox_sent(id, platform_message_id, now);
  } catch (...) {
    return done(std::current_exception());
  }
  done(nullptr);
}

}  // namespace switchboard::store
