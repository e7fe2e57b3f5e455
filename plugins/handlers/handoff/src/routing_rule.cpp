// Matching and parsing of routing rules.
#include "routing_rule.hpp"

#include <algorithm>

namespace switchboard::plugins::handoff {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::vector<std::string> strings(const sdk::Json& rule, const char* key, const std::string& where) {
  auto it = rule.find(key);
  if (it == rule.end()) return {};
  if (it->is_string()) return {it->get<std::string>()};
  if (!it->is_array()) throw sdk::ConfigError(where + "/" + key + ": expected a string or an array of strings");
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (!item.is_string()) throw sdk::ConfigError(where + "/" + key + ": expected strings only");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// A keyword matches whole words only ("hoan tien" in "toi muon hoan tien
// ngay", not in "hoan tienx"): folded text has single spaces and no
// punctuation, so padding both sides with a space gives the word boundaries.
bool has_phrase(const std::string& folded, const std::string& phrase) {
  return (" " + folded + " ").find(" " + phrase + " ") != std::string::npos;
}

}  // namespace

sdk::Priority parse_priority(const std::string& name, const std::string& where) {
  if (name == "low") return sdk::Priority::Low;
  if (name == "normal") return sdk::Priority::Normal;
  if (name == "high") return sdk::Priority::High;
  if (name == "urgent") return sdk::Priority::Urgent;
  throw sdk::ConfigError(where + ": must be low, normal, high or urgent, got '" + name + "'");
}

bool RoutingRule::matches(const sdk::Json& message, const std::string& folded) const {
  if (!intents.empty()) {
    const sdk::Json& intent = message.contains("intent") ? message["intent"] : sdk::Json();
    if (!intent.is_object() || !contains(intents, intent.value("name", ""))) return false;
  }
  if (!tags.empty()) {
    const sdk::Json& have = message.contains("tags") ? message["tags"] : sdk::Json::array();
    bool any =
        std::any_of(have.begin(), have.end(), [&](const sdk::Json& t) { return t.is_string() && contains(tags, t); });
    if (!any) return false;
  }
  if (!channels.empty() && !contains(channels, message.value("channel", ""))) return false;
  if (!inboxes.empty() && !contains(inboxes, message.value("inbox", ""))) return false;
  const sdk::Json& attrs = message.contains("attributes") ? message["attributes"] : sdk::Json::object();
  for (const auto& [key, value] : attributes) {
    if (!attrs.is_object() || !attrs.contains(key) || attrs[key] != value) return false;
  }
  if (!keywords.empty()) {
    bool any = std::any_of(keywords.begin(), keywords.end(), [&](const auto& k) { return has_phrase(folded, k); });
    if (!any) return false;
  }
  return true;
}

RoutingRule parse_rule(const sdk::Json& rule, std::size_t index, const sdk::Context& ctx) {
  std::string where = "rules/" + std::to_string(index);
  if (!rule.is_object()) throw sdk::ConfigError(where + ": expected an object");
  RoutingRule r;
  r.department = rule.value("department", "");
  if (r.department.empty()) throw sdk::ConfigError(where + "/department: required");
  r.intents = strings(rule, "intent", where);
  r.tags = strings(rule, "tags", where);
  r.channels = strings(rule, "channel", where);
  r.inboxes = strings(rule, "inbox", where);
  for (const auto& keyword : strings(rule, "keywords", where)) r.keywords.push_back(ctx.fold(keyword, SB_TEXT_FOLD));
  if (auto it = rule.find("attributes"); it != rule.end()) {
    if (!it->is_object()) throw sdk::ConfigError(where + "/attributes: expected an object");
    for (const auto& [key, value] : it->items()) r.attributes[key] = value;
  }
  r.priority = parse_priority(rule.value("priority", "normal"), where + "/priority");
  r.reason = rule.value("reason", "rule " + std::to_string(index));
  for (const auto& item : rule.items()) {
    static const std::vector<std::string> known{"intent",   "tags",       "channel",  "inbox", "attributes",
                                                "keywords", "department", "priority", "reason"};
    if (!contains(known, item.key())) throw sdk::ConfigError(where + "/" + item.key() + ": unknown key in rule");
  }
  return r;
}

}  // namespace switchboard::plugins::handoff
