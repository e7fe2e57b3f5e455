// Prometheus text exposition format 0.0.4: escaping, number formatting and
// the sample lines of each metric type. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "metrics/counter.hpp"
#include "metrics/gauge.hpp"
#include "metrics/histogram.hpp"

namespace switchboard::metrics::text {

// HELP text: backslash and newline escaped.
std::string escape_help(std::string_view help);
// Label values: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);
// Shortest text that reads back as the same double; "NaN", "+Inf", "-Inf".
std::string format_double(double value);

// One metric's label names and values; values.size() == names.size().
struct Labels {
  const std::vector<std::string>& names;
  const std::vector<std::string>& values;
};

// "# HELP name help\n# TYPE name type\n".
void append_header(std::string& out, std::string_view name, std::string_view help, std::string_view type);

// The sample lines of one child. A gauge whose callback throws gets no line
// (the failure is logged), so one broken source cannot break the scrape.
void append_samples(std::string& out, std::string_view name, const Labels& labels, const Counter& counter);
void append_samples(std::string& out, std::string_view name, const Labels& labels, const Gauge& gauge);
void append_samples(std::string& out, std::string_view name, const Labels& labels, const Histogram& histogram);

}  // namespace switchboard::metrics::text
