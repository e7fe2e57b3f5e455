// The plugin key-value store (ABI kv_*): scoped, upserted, durable across a
// reopen of the file, and erasable.
#include <doctest/doctest.h>

#include "store_test_support.hpp"

namespace switchboard::store::testing {

TEST_CASE("kv values are scoped per instance and survive reopening the file") {
  TempDir dir;
  {
    SqliteStore store(dir.db());
    CHECK_FALSE(store.kv_get("inbox/zalo", "tokens"));
    store.kv_put("inbox/zalo", "tokens", R"({"refresh":"r1"})");
    store.kv_put("inbox/zalo", "tokens", R"({"refresh":"r2"})");  // rotation: the newest wins
    store.kv_put("inbox/other", "tokens", R"({"refresh":"x"})");
  }
  SqliteStore store(dir.db());
  CHECK(store.kv_get("inbox/zalo", "tokens") == std::optional<std::string>(R"({"refresh":"r2"})"));
  CHECK(store.kv_get("inbox/other", "tokens") == std::optional<std::string>(R"({"refresh":"x"})"));
  store.kv_erase("inbox/zalo", "tokens");
  CHECK_FALSE(store.kv_get("inbox/zalo", "tokens"));
  CHECK(RawDb(dir.db()).integer("SELECT COUNT(*) FROM plugin_kv") == 1);
}

}  // namespace switchboard::store::testing
