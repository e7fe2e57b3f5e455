// Prometheus text format 0.0.4, written by hand: it is a handful of rules
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
#include "metrics/text_format.hpp"

#include <charconv>
#include <cmath>
#include <exception>
#include <string>

#include "log/logger.hpp"

namespace switchboard::metrics::text {
namespace {

void append_labels(std::string& out, const Labels& labels, std::string_view extra_name = {},
                   std::string_view extra_value = {}) {
  if (labels.names.empty() && extra_name.empty()) return;
  out += '{';
  const char* separator = "";
  for (std::size_t i = 0; i < labels.names.size(); ++i) {
    out += separator;
    out += labels.names[i];
    out += "=\"";
    out += escape_label_value(labels.values[i]);
    out += '"';
    separator = ",";
  }
  if (!extra_name.empty()) {
    out += separator;
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

void append_line(std::string& out, std::string_view name, std::string_view suffix, const Labels& labels,
                 std::string_view value, std::string_view extra_name = {}, std::string_view extra_value = {}) {
  out += name;
  out += suffix;
  append_labels(out, labels, extra_name, extra_value);
  out += ' ';
  out += value;
  out += '\n';
}

}  // namespace

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Whole numbers (counts, byte sizes) as integers; the rest as printf's %g
  // would with the fewest digits that read back exactly: 0.0001, 5e-05, 2.5.
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (value == std::trunc(value) && std::fabs(value) < kExactIntegers) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
  return std::string(buffer, result.ptr);
}

void append_header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += escape_help(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void append_samples(std::string& out, std::string_view name, const Labels& labels, const Counter& counter) {
  append_line(out, name, "", labels, std::to_string(counter.value()));
}

void append_samples(std::string& out, std::string_view name, const Labels& labels, const Gauge& gauge) {
  double value = 0;
  try {
    value = gauge.value();
  } catch (const std::exception& e) {
    log::warn("metrics", std::string(name) + ": gauge callback failed, sample left out: " + e.what());
    return;
  } catch (...) {
    log::warn("metrics", std::string(name) + ": gauge callback failed, sample left out");
    return;
  }
  append_line(out, name, "", labels, format_double(value));
}

void append_samples(std::string& out, std::string_view name, const Labels& labels, const Histogram& histogram) {
  Histogram::Snapshot snapshot = histogram.snapshot();
  for (std::size_t i = 0; i < snapshot.upper_bounds.size(); ++i) {
    append_line(out, name, "_bucket", labels, std::to_string(snapshot.cumulative[i]), "le",
                format_double(snapshot.upper_bounds[i]));
  }
  append_line(out, name, "_bucket", labels, std::to_string(snapshot.count), "le", "+Inf");
  append_line(out, name, "_sum", labels, format_double(snapshot.sum));
  append_line(out, name, "_count", labels, std::to_string(snapshot.count));
}

}  // namespace switchboard::metrics::text
