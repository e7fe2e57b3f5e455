// Serialising a run for traces and the decision log.
#include "pipeline/run_result.hpp"

namespace switchboard::pipeline {

const char* priority_name(int32_t priority) {
  switch (priority) {
    case SB_PRIORITY_LOW: return "low";
    case SB_PRIORITY_NORMAL: return "normal";
    case SB_PRIORITY_HIGH: return "high";
    case SB_PRIORITY_URGENT: return "urgent";
    default: return "unknown";
  }
}

std::size_t RunResult::sendable_replies() const {
  std::size_t n = 0;
  for (const Reply& r : replies) n += r.suppressed ? 0 : 1;
  return n;
}

nlohmann::json RunResult::to_json() const {
  using nlohmann::json;
  json out = json::object();
  json steps_json = json::array();
  for (const StepTrace& s : steps) {
    steps_json.push_back({{"index", s.index},
                          {"plugin", s.plugin},
                          {"action", s.action},
                          {"status", s.status},
                          {"detail", s.detail},
                          {"micros", s.micros}});
  }
  out["steps"] = std::move(steps_json);
  out["tags"] = tags;
  out["attributes"] = attributes;
  out["intent"] = intent ? json{{"name", intent->name}, {"score", intent->score}} : json(nullptr);
  json replies_json = json::array();
  for (const Reply& r : replies) {
    json item = r.outbound;
    item["step"] = r.step;
    if (r.suppressed) item["suppressed"] = r.suppressed_reason;
    replies_json.push_back(std::move(item));
  }
  out["replies"] = std::move(replies_json);
  out["queue"] = assignment ? json(assignment->queue) : json(nullptr);
  if (assignment) {
    out["assignment"] = {{"queue", assignment->queue},
                         {"priority", priority_name(assignment->priority)},
                         {"reason", assignment->reason},
                         {"step", assignment->step}};
  }
  out["resolved"] = resolved ? json(*resolved) : json(nullptr);
  out["decided_by"] = decided_by ? json(*decided_by) : json(nullptr);
  return out;
}

}  // namespace switchboard::pipeline
