// Collects every problem found in one config file, already formatted for
// people, so `switchboard check` can print them all in one run:
//   cfg.json:3:5: reason            syntax errors (line:column, see TextPosition)
//   cfg.json: /json/pointer: reason everything else (RFC 6901 pointer)
//   cfg.json: reason                the file as a whole (unreadable, not an object)
// Owned by one validation run on one thread.
#pragma once

#include "config/syntax_error.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace switchboard::config {

using JsonPointer = nlohmann::json::json_pointer;

class Diagnostics {
 public:
  explicit Diagnostics(std::string file);

  void add(const JsonPointer& at, const std::string& reason);
  void add(const SyntaxError& error);
  void add_file(const std::string& reason);

  // Later problems at these pointers are dropped: a value whose ${VAR} could
  // not be substituted already has its error, and checking the unsubstituted
  // text would only add noise.
  void silence(const std::set<std::string>& pointers);

  bool empty() const { return messages_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }

 private:
  std::string file_;
  std::set<std::string> silenced_;
  std::vector<std::string> messages_;
};

}  // namespace switchboard::config
