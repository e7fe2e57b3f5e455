// Field tables of the host's config sections and their validation.
#include "config/section_schema.hpp"

#include <switchboard/config_schema.hpp>
#include <switchboard/sdk.hpp>

#include <array>
#include <string>

namespace switchboard::config {

namespace {

using sdk::field;

constexpr std::array kTopLevelFields{
    field("service", SB_FIELD_OBJECT, 0, "{}", "Host settings: listen address, folders, time zone, log level"),
    field("inboxes", SB_FIELD_ARRAY, SB_FIELD_REQUIRED, nullptr,
          "Channel instances: where messages come in and which pipeline they feed"),
    field("pipelines", SB_FIELD_OBJECT, SB_FIELD_REQUIRED, nullptr, "Named sequences of handler steps"),
    field("departments", SB_FIELD_ARRAY, 0, "[]", "Teams that own queues of handed-over conversations"),
    field("agents", SB_FIELD_ARRAY, 0, "[]",
          "People who answer customers; passwords are set with `switchboard agent`, never here"),
    field("canned_responses", SB_FIELD_ARRAY, 0, "[]",
          "Replies agents pick instead of typing: {id, title, text, departments}"),
};

constexpr std::array kServiceFields{
    field("listen", SB_FIELD_STRING, 0, "\"127.0.0.1:8080\"",
          "host:port of the HTTP server; [::1]:8080 for IPv6; port 0 picks a free port"),
    field("data_dir", SB_FIELD_PATH, 0, "\"./data\"", "Folder for the database and other state"),
    field("plugin_dirs", SB_FIELD_PATH_ARRAY, 0, "[]", "Folders searched for plugin libraries"),
    field("shorthand", SB_FIELD_PATH, 0, "\"\"",
          "Shorthand/teencode table for text_fold's expanded form; empty: share/switchboard/intents/shorthand.json "
          "next to the binary"),
    field("timezone", SB_FIELD_STRING, 0, "\"Asia/Ho_Chi_Minh\"", "IANA time zone of business hours and reports"),
    field("log_level", SB_FIELD_STRING, 0, "\"info\"", "debug, info, warn or error"),
    field("http_threads", SB_FIELD_INTEGER, 0, "64",
          "Blocking HTTP threads: webhooks of channels that are not thread-safe, and agent API / web inbox connections "
          "(one each at a time)"),
    field("max_body_bytes", SB_FIELD_INTEGER, 0, "1048576", "Largest webhook body accepted; larger ones get 413"),
    field("read_timeout_ms", SB_FIELD_INTEGER, 0, "5000", "How long the server waits for a request to arrive"),
    field("workers", SB_FIELD_INTEGER, 0, "0",
          "Pipeline worker threads; one conversation always runs on one of them, in arrival order. "
          "0: half the CPU cores, at least 1"),
    field("outbox_workers", SB_FIELD_INTEGER, 0, "0",
          "Concurrent sends (different conversations) of the outbox. 0: one per CPU core, at least 4"),
    field("outbox_max_attempts", SB_FIELD_INTEGER, 0, "12",
          "Sends of one reply before it becomes a dead letter (transient failures only)"),
    field("retry_base_ms", SB_FIELD_INTEGER, 0, "1000", "First retry delay; doubles each attempt, with jitter"),
    field("retry_max_ms", SB_FIELD_INTEGER, 0, "600000", "Cap of the retry delay"),
    field("retention_days", SB_FIELD_INTEGER, 0, "0",
          "Resolved conversations untouched this many days are deleted with their messages (0: keep)"),
};

constexpr std::array kInboxFields{
    field("id", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr,
          "Unique inbox id, [a-z0-9][a-z0-9_-]{0,63}; webhooks arrive at /webhooks/{id}"),
    field("channel", SB_FIELD_OBJECT, SB_FIELD_REQUIRED, nullptr, "The channel plugin and its config"),
    field("pipeline", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "Name of the pipeline its messages run through"),
};

constexpr std::array kChannelFields{
    field("plugin", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "Name of a channel plugin"),
    field("config", SB_FIELD_OBJECT, 0, "{}", "The plugin's config; see `switchboard plugins`"),
};

constexpr std::array kPipelineFields{
    field("steps", SB_FIELD_ARRAY, SB_FIELD_REQUIRED, nullptr, "Handler steps, run in order; at least one"),
    field("handoff_queue", SB_FIELD_STRING, 0, "\"default\"",
          "Queue a conversation goes to when a step with on_error \"handoff\" fails"),
};

constexpr std::array kStepFields{
    field("plugin", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "Name of a handler plugin"),
    field("config", SB_FIELD_OBJECT, 0, "{}", "The plugin's config; see `switchboard plugins`"),
    field("on_error", SB_FIELD_STRING, 0, "\"continue\"",
          "When the step fails: continue (next step), stop (no further step) or handoff (to handoff_queue)"),
};

constexpr std::array kDepartmentFields{
    field("id", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "Unique department id, also its queue name"),
    field("name", SB_FIELD_STRING, 0, nullptr, "Name customers and agents read, e.g. \"Lễ tân\""),
    field("calendar", SB_FIELD_OBJECT, 0, nullptr,
          "Opening hours {timezone, weekly, holidays, exceptions}: SLAs count only open time, agents get "
          "conversations only while open (default: always open)"),
    field("assignment", SB_FIELD_STRING, 0, "\"round_robin\"", "round_robin, least_busy or manual (agents claim)"),
    field("sla", SB_FIELD_OBJECT, 0, nullptr, "Response-time thresholds and escalation"),
    field("eta_minutes", SB_FIELD_INTEGER, 0, "15",
          "The handoff message's {eta} until the department has recent first responses to average"),
    field("csat", SB_FIELD_OBJECT, 0, nullptr, "Rating question on resolve: {enabled, question, thanks}"),
};

constexpr std::array kCsatFields{
    field("enabled", SB_FIELD_BOOLEAN, 0, "false", "Ask the customer for a 1-5 rating when a conversation is resolved"),
    field("question", SB_FIELD_STRING, 0,
          "\"Dạ, {contact.name|bạn} đánh giá cuộc trò chuyện với {department} thế nào ạ? Trả lời 1–5 (5 là rất "
          "hài lòng). / How would you rate this conversation? Reply 1–5 (5 is best).\"",
          "Asked once per conversation, with 1-5 quick replies where the channel has them"),
    field("thanks", SB_FIELD_STRING, 0, "\"Cảm ơn bạn đã đánh giá! / Thank you for your rating!\"",
          "Sent after a rating (\"\" for nothing)"),
};

constexpr std::array kCannedFields{
    field("id", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "Unique id, what the reply action's canned_id names"),
    field("title", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "What agents pick it by"),
    field("text", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "The reply, with variables such as {contact.name|bạn}"),
    field("departments", SB_FIELD_STRING_ARRAY, 0, "[]", "Departments whose agents may use it (empty: all)"),
};

constexpr std::array kSlaFields{
    field("first_response_minutes", SB_FIELD_INTEGER, 0, "0", "Minutes to the first agent reply (0: not tracked)"),
    field("next_response_minutes", SB_FIELD_INTEGER, 0, "0",
          "Minutes to answer each later customer message (0: not tracked)"),
    field("escalation", SB_FIELD_STRING, 0, "\"none\"", "On breach: none, reassign, raise_priority or notify"),
    field("notify_url", SB_FIELD_STRING, 0, nullptr, "Webhook that receives a JSON POST on breach (notify)"),
};

constexpr std::array kAgentFields{
    field("id", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "Unique agent id, the login name"),
    field("name", SB_FIELD_STRING, 0, nullptr, "Display name"),
    field("departments", SB_FIELD_STRING_ARRAY, 0, "[]", "Department ids the agent works in"),
    field("capacity", SB_FIELD_INTEGER, 0, "5", "Conversations assigned to the agent at once"),
    field("role", SB_FIELD_STRING, 0, "\"agent\"", "agent (own departments) or admin (everything)"),
};

template <std::size_t N>
sb_plugin_v1 describe(const char* name, const std::array<sb_config_field_v1, N>& fields) {
  sb_plugin_v1 descriptor{};
  descriptor.struct_size = sizeof(sb_plugin_v1);
  descriptor.abi_major = SB_ABI_MAJOR;
  descriptor.abi_minor = SB_ABI_MINOR;
  descriptor.name = name;
  descriptor.version = SWITCHBOARD_VERSION;
  descriptor.description = "host config section";
  descriptor.config_fields = fields.data();
  descriptor.config_field_count = static_cast<uint32_t>(N);
  descriptor.config_field_size = sizeof(sb_config_field_v1);
  return descriptor;
}

// How an unknown key is reported; apply_config_schema speaks of plugins.
const char* unknown_key_phrase(Section section) {
  switch (section) {
    case Section::TopLevel: return "unknown top-level key";
    case Section::Service: return "unknown key in service";
    case Section::Inbox: return "unknown key in inbox";
    case Section::Channel: return "unknown key in channel block";
    case Section::Pipeline: return "unknown key in pipeline";
    case Section::Step: return "unknown key in step";
    case Section::Department: return "unknown key in department";
    case Section::Sla: return "unknown key in sla";
    case Section::Agent: return "unknown key in agent";
    case Section::Csat: return "unknown key in csat";
    case Section::Canned: return "unknown key in canned response";
  }
  return "unknown key";
}

std::string host_wording(Section section, const std::string& message) {
  std::string plugin_wording = std::string("unknown key for plugin '") + section_descriptor(section).name + "'";
  if (message.rfind(plugin_wording, 0) != 0) return message;
  return unknown_key_phrase(section) + message.substr(plugin_wording.size());
}

}  // namespace

const sb_plugin_v1& section_descriptor(Section section) {
  static const std::array<sb_plugin_v1, 11> descriptors{
      describe("(top level)", kTopLevelFields),
      describe("service", kServiceFields),
      describe("inbox", kInboxFields),
      describe("channel", kChannelFields),
      describe("pipeline", kPipelineFields),
      describe("step", kStepFields),
      describe("department", kDepartmentFields),
      describe("sla", kSlaFields),
      describe("agent", kAgentFields),
      describe("csat", kCsatFields),
      describe("canned_response", kCannedFields),
  };
  return descriptors[static_cast<std::size_t>(section)];
}

bool apply_section_schema(Section section, nlohmann::json& object, const JsonPointer& at, Diagnostics& errors) {
  if (!object.is_object()) {
    errors.add(at, std::string("expected object, got ") + object.type_name());
    return false;
  }
  for (const sdk::ConfigIssue& issue : sdk::apply_config_schema(section_descriptor(section), object)) {
    errors.add(JsonPointer(at.to_string() + issue.path), host_wording(section, issue.message));
  }
  return true;
}

}  // namespace switchboard::config
