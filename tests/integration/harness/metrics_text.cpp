#include "harness/metrics_text.hpp"

#include <cstdlib>
#include <sstream>
#include <thread>

namespace switchboard::integration {

namespace {

// Parses `a="x",b="y"` (no escapes needed for the host's label values).
Labels parse_labels(const std::string& text) {
  Labels labels;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t equals = text.find('=', at);
    if (equals == std::string::npos || equals + 1 >= text.size() || text[equals + 1] != '"') break;
    std::size_t close = text.find('"', equals + 2);
    if (close == std::string::npos) break;
    labels[text.substr(at, equals - at)] = text.substr(equals + 2, close - equals - 2);
    at = close + 1;
    if (at < text.size() && text[at] == ',') ++at;
  }
  return labels;
}

bool includes(const Labels& have, const Labels& want) {
  for (const auto& [key, value] : want) {
    auto found = have.find(key);
    if (found == have.end() || found->second != value) return false;
  }
  return true;
}

}  // namespace

std::optional<double> metric_value(const std::string& text, const std::string& name, const Labels& labels) {
  std::optional<double> sum;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name, 0) != 0 || line.size() <= name.size()) continue;
    char next = line[name.size()];
    Labels have;
    std::size_t value_at = name.size();
    if (next == '{') {
      std::size_t close = line.find('}', name.size());
      if (close == std::string::npos) continue;
      have = parse_labels(line.substr(name.size() + 1, close - name.size() - 1));
      value_at = close + 1;
    } else if (next != ' ') {
      continue;  // a longer name with the same prefix
    }
    if (!includes(have, labels)) continue;
    sum = sum.value_or(0) + std::strtod(line.c_str() + value_at, nullptr);
  }
  return sum;
}

bool has_metric(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# TYPE " + name + " ", 0) == 0) return true;
    if (line.rfind(name + "{", 0) == 0 || line.rfind(name + " ", 0) == 0) return true;
  }
  return false;
}

double metric_eventually(WebhookClient& client, const std::string& name, const Labels& labels, double expected,
                         std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  double value = -1;
  for (;;) {
    HttpAnswer metrics = client.get("/metrics");
    if (metrics.status == 200) value = metric_value(metrics.body, name, labels).value_or(0);
    if (value == expected || std::chrono::steady_clock::now() >= until) return value;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace switchboard::integration
