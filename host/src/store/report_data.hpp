// What the reports (GET /api/v1/reports) are computed from: counts and
// durations over a time range, read in one go. The store only counts; the
// API derives medians, shares and formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace switchboard::store {

struct ReportQuery {
  Millis from = 0;           // inclusive, ms since the epoch
  Millis to = 0;             // exclusive
  int64_t utc_offset_s = 0;  // days are cut at local midnight of this offset
  int top = 10;              // length of the top-intent and FAQ-miss lists
  // A JSON array of department (queue) ids, bound as a parameter and read
  // with json_each: the department-keyed counts keep only these. Unset: all.
  std::optional<std::string> departments;
};

struct DayCount {
  std::string day;    // YYYY-MM-DD, local
  std::string inbox;  // the inbox (channel instance)
  int64_t count = 0;  // conversations with a customer message that day
};

struct NamedCount {
  std::string name;
  int64_t count = 0;
};

// One conversation that needed a person in the range: from the handoff (or
// the customer's first message in the range) to the first agent reply.
struct HumanResponse {
  Id conversation_id = 0;
  Millis waiting_since = 0;
  Millis first_reply_at = 0;  // 0: no agent reply yet
};

struct QueueLoad {
  std::string queue;
  int64_t handed_off = 0;  // conversations queued to it in the range
  int64_t waiting = 0;     // queued now
  int64_t assigned = 0;    // assigned now
};

struct AgentActivity {
  std::string agent;
  int64_t replies = 0;        // agent replies in the range
  int64_t conversations = 0;  // distinct conversations they replied in
};

struct BreachCount {
  std::string queue;
  std::string kind;  // first_response | next_response
  int64_t count = 0;
};

struct ReportData {
  std::vector<DayCount> per_day;
  int64_t conversations = 0;         // with a customer message in the range
  std::vector<HumanResponse> human;  // handed off or answered by an agent
  std::vector<NamedCount> intents;
  std::vector<NamedCount> faq_misses;  // the customer's wording
  std::vector<QueueLoad> queues;
  std::vector<AgentActivity> agents;
  std::vector<BreachCount> breaches;
  std::vector<NamedCount> csat;  // name = the rating "1".."5", for ratings given in the range
  int64_t csat_asked = 0;        // questions sent in the range
};

}  // namespace switchboard::store
