// The plugins' key-value store on top of the host's Store.
#pragma once

#include "plugins/key_value.hpp"
#include "store/store.hpp"

namespace switchboard::app {

class StoreKeyValue final : public plugins::KeyValue {
 public:
  explicit StoreKeyValue(store::Store& store) : store_(store) {}
  std::optional<std::string> get(const std::string& scope, const std::string& key) override {
    return store_.kv_get(scope, key);
  }
  void put(const std::string& scope, const std::string& key, const std::string& value) override {
    store_.kv_put(scope, key, value);
  }
  void erase(const std::string& scope, const std::string& key) override { store_.kv_erase(scope, key); }

 private:
  store::Store& store_;
};

}  // namespace switchboard::app
