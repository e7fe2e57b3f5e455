// Stored as JSON {"uidvalidity": n, "last_uid": n}; an unreadable value
// counts as absent (the next read starts over and Message-IDs dedupe).
#include "uid_cursor.hpp"

namespace switchboard::plugins::email {

std::optional<UidCursor> UidCursorStore::load() const {
  std::optional<std::string> text = ctx_.kv_get(key_);
  if (!text) return std::nullopt;
  sdk::Json j = sdk::Json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("uidvalidity") || !j.contains("last_uid")) return std::nullopt;
  return UidCursor{j["uidvalidity"].get<uint32_t>(), j["last_uid"].get<uint32_t>()};
}

void UidCursorStore::save(const UidCursor& cursor) const {
  ctx_.kv_set(key_, sdk::Json{{"uidvalidity", cursor.uidvalidity}, {"last_uid", cursor.last_uid}}.dump());
}

}  // namespace switchboard::plugins::email
