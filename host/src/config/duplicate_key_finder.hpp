// Finds keys written twice in one JSON object. nlohmann keeps the last one
// silently, which hides mistakes like two "pipelines" blocks; the config
// rejects unknown keys, so it rejects repeated ones too.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace switchboard::config {

// Feed it every event of nlohmann's parser callback (see parser_callback()).
// One parse, one thread.
class DuplicateKeyFinder {
 public:
  // Always returns true: every value is kept.
  bool on_event(nlohmann::json::parse_event_t event, const nlohmann::json& parsed);

  // A callback for nlohmann::json::parse that forwards to this finder, which
  // must outlive the parse.
  nlohmann::json::parser_callback_t parser_callback();

  // JSON pointers of the repeated keys, in the order they were read.
  const std::vector<std::string>& duplicates() const { return duplicates_; }

 private:
  struct Container {
    bool is_array = false;
    std::size_t index = 0;  // arrays: index of the next element
    std::string key;        // objects: the key being read
    std::set<std::string> keys;
  };

  std::string pointer_to_top() const;
  void element_done();

  std::vector<Container> stack_;
  std::vector<std::string> duplicates_;
};

}  // namespace switchboard::config
