// Tracks the path to the value being parsed so a repeated key can be reported
// by JSON pointer: the callback gives neither positions nor paths.
#include "config/duplicate_key_finder.hpp"

namespace switchboard::config {

using Event = nlohmann::json::parse_event_t;

bool DuplicateKeyFinder::on_event(Event event, const nlohmann::json& parsed) {
  switch (event) {
    case Event::object_start: stack_.push_back(Container{}); break;
    case Event::array_start: stack_.push_back(Container{true, 0, {}, {}}); break;
    case Event::object_end:
    case Event::array_end:
      if (!stack_.empty()) stack_.pop_back();
      element_done();
      break;
    case Event::key:
      if (stack_.empty()) break;
      stack_.back().key = parsed.get<std::string>();
      if (!stack_.back().keys.insert(stack_.back().key).second) duplicates_.push_back(pointer_to_top());
      break;
    case Event::value: element_done(); break;
  }
  return true;
}

nlohmann::json::parser_callback_t DuplicateKeyFinder::parser_callback() {
  return [this](int, Event event, nlohmann::json& parsed) { return on_event(event, parsed); };
}

std::string DuplicateKeyFinder::pointer_to_top() const {
  nlohmann::json::json_pointer pointer;
  for (const Container& container : stack_) {
    pointer = container.is_array ? pointer / container.index : pointer / container.key;
  }
  return pointer.to_string();
}

// A complete value moves its enclosing array on to the next index.
void DuplicateKeyFinder::element_done() {
  if (!stack_.empty() && stack_.back().is_array) ++stack_.back().index;
}

}  // namespace switchboard::config
