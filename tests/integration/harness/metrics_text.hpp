// Reading values out of the host's GET /metrics (Prometheus text format).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "harness/webhook_client.hpp"

namespace switchboard::integration {

using Labels = std::map<std::string, std::string>;

// The sum of every sample of `name` whose labels include `labels`;
// nullopt when there is no such sample.
std::optional<double> metric_value(const std::string& text, const std::string& name, const Labels& labels = {});

// True when the text declares or samples `name` at all.
bool has_metric(const std::string& text, const std::string& name);

// Polls the host's GET /metrics until metric_value(name, labels) (absent = 0)
// equals `expected`, and returns the last value read. Counters move a moment
// after the effect the test waits for (a reply reaches the receiver before
// the host has read the answer), so tests compare them through this.
double metric_eventually(WebhookClient& client, const std::string& name, const Labels& labels, double expected,
                         std::chrono::milliseconds deadline = std::chrono::seconds(5));

}  // namespace switchboard::integration
