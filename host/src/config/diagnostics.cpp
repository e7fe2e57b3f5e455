// Formatting of config errors; see diagnostics.hpp for the three shapes.
#include "config/diagnostics.hpp"

#include <utility>

namespace switchboard::config {

Diagnostics::Diagnostics(std::string file) : file_(std::move(file)) {}

void Diagnostics::add(const JsonPointer& at, const std::string& reason) {
  std::string pointer = at.to_string();
  if (silenced_.count(pointer) != 0) return;
  // The root pointer is the empty string, which would read as a stray colon.
  if (pointer.empty()) return add_file(reason);
  messages_.push_back(file_ + ": " + pointer + ": " + reason);
}

void Diagnostics::add(const SyntaxError& error) {
  messages_.push_back(file_ + ":" + std::to_string(error.position.line) + ":" + std::to_string(error.position.column) +
                      ": " + error.reason);
}

void Diagnostics::add_file(const std::string& reason) { messages_.push_back(file_ + ": " + reason); }

void Diagnostics::silence(const std::set<std::string>& pointers) { silenced_.insert(pointers.begin(), pointers.end()); }

}  // namespace switchboard::config
