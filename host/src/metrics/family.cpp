// FamilyBase: name checks and child keys shared by every metric type.
#include "metrics/family.hpp"

#include <stdexcept>

namespace switchboard::metrics {
namespace {

bool is_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

bool is_label_name(std::string_view name) {
  return is_metric_name(name) && name.find(':') == std::string_view::npos && name.substr(0, 2) != "__";
}

}  // namespace

FamilyBase::FamilyBase(std::string name, std::string help, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {
  if (!is_metric_name(name_)) throw std::invalid_argument("invalid metric name '" + name_ + "'");
  for (std::size_t i = 0; i < label_names_.size(); ++i) {
    const std::string& label = label_names_[i];
    if (!is_label_name(label)) throw std::invalid_argument(name_ + ": invalid label name '" + label + "'");
    for (std::size_t j = 0; j < i; ++j) {
      if (label_names_[j] == label) throw std::invalid_argument(name_ + ": label '" + label + "' given twice");
    }
  }
}

std::string FamilyBase::child_key(std::initializer_list<std::string_view> values) const {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument(name_ + ": " + std::to_string(label_names_.size()) + " label values expected, got " +
                                std::to_string(values.size()));
  }
  // Length-prefixed, so ("a,b") and ("a", "b") can never share a key.
  std::string key;
  for (std::string_view value : values) {
    key += std::to_string(value.size());
    key += ':';
    key += value;
  }
  return key;
}

}  // namespace switchboard::metrics
