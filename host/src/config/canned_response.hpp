// The "canned_responses" section: replies agents pick instead of typing,
// with the same {contact.name}-style variables as the reply handler.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace switchboard::config {

struct CannedResponse {
  std::string id;
  std::string title;
  std::string text;                      // a text template (switchboard/text_template.hpp)
  std::vector<std::string> departments;  // empty: every department

  // Admins may use every response; others those of any of their departments.
  bool usable_by(const std::vector<std::string>& agent_departments, bool admin) const {
    if (admin || departments.empty()) return true;
    return std::any_of(agent_departments.begin(), agent_departments.end(), [this](const std::string& d) {
      return std::find(departments.begin(), departments.end(), d) != departments.end();
    });
  }
};

}  // namespace switchboard::config
