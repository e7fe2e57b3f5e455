// Where plugin instances keep durable values (sb_host_v1.kv_*).
//
// The plugins layer knows only this interface; the running service adapts
// its Store to it, and dry runs (`switchboard try`) use MemoryKeyValue so
// they never write anything. Each instance sees its own scope.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace switchboard::plugins {

class KeyValue {
 public:
  virtual ~KeyValue() = default;
  virtual std::optional<std::string> get(const std::string& scope, const std::string& key) = 0;
  // Durable when it returns.
  virtual void put(const std::string& scope, const std::string& key, const std::string& value) = 0;
  virtual void erase(const std::string& scope, const std::string& key) = 0;
};

// Process-lifetime values, for dry runs and tests. Thread-safe.
class MemoryKeyValue final : public KeyValue {
 public:
  std::optional<std::string> get(const std::string& scope, const std::string& key) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = values_.find({scope, key});
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  void put(const std::string& scope, const std::string& key, const std::string& value) override {
    std::lock_guard<std::mutex> lock(mutex_);
    values_[{scope, key}] = value;
  }
  void erase(const std::string& scope, const std::string& key) override {
    std::lock_guard<std::mutex> lock(mutex_);
    values_.erase({scope, key});
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::string> values_;
};

// One instance's view: the store and the scope its keys live under.
struct KeyValueScope {
  KeyValue* store = nullptr;
  std::string scope;
};

}  // namespace switchboard::plugins
