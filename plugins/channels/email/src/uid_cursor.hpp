// Where reading stopped in one folder, kept in the durable per-instance kv.
#pragma once

#include <switchboard/sdk.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace switchboard::plugins::email {

struct UidCursor {
  uint32_t uidvalidity = 0;
  uint32_t last_uid = 0;  // every UID up to this one has been submitted
};

// Thread-safe (the kv is); durable once save() returns.
class UidCursorStore {
 public:
  UidCursorStore(sdk::InstanceContext ctx, const std::string& folder) : ctx_(ctx), key_("cursor/" + folder) {}
  std::optional<UidCursor> load() const;
  void save(const UidCursor& cursor) const;

 private:
  sdk::InstanceContext ctx_;
  std::string key_;
};

}  // namespace switchboard::plugins::email
