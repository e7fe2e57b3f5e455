// One routing rule of the handoff handler: conditions on what earlier steps
// and the channel know about a message, and where a match sends it.
#pragma once

#include <switchboard/sdk.hpp>

#include <map>
#include <string>
#include <vector>

namespace switchboard::plugins::handoff {

struct RoutingRule {
  // Conditions; an empty one always holds. All given ones must hold.
  std::vector<std::string> intents;   // the message's intent is one of these
  std::vector<std::string> tags;      // the conversation has any of these tags
  std::vector<std::string> channels;  // the message came through one of these channel plugins
  std::vector<std::string> inboxes;
  std::map<std::string, sdk::Json> attributes;  // attribute equals value
  std::vector<std::string> keywords;            // folded text contains one of these (folded too)

  std::string department;
  sdk::Priority priority = sdk::Priority::Normal;
  std::string reason;

  // `folded` is the message text folded with shorthand expanded.
  bool matches(const sdk::Json& message, const std::string& folded) const;
};

// Reads rules[i]; throws sdk::ConfigError naming "rules/i/field".
RoutingRule parse_rule(const sdk::Json& rule, std::size_t index, const sdk::Context& ctx);

sdk::Priority parse_priority(const std::string& name, const std::string& where);

}  // namespace switchboard::plugins::handoff
