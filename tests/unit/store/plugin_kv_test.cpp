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

TEST_CASE("kv_scan lists values by scope and key prefix, matching '%' and '_' literally") {
  TempDir dir;
  SqliteStore store(dir.db());
  store.kv_put("step/main/faq/0", "miss/gia rang", "2");
  store.kv_put("step/main/faq/0", "miss/dia chi", "1");
  store.kv_put("step/main/faq/0", "variant", "x");
  store.kv_put("step/other/faq/1", "miss/gio mo cua", "3");
  store.kv_put("inbox/zalo", "miss/not a step", "9");
  store.kv_put("step/main/faq/0", "miss%/odd", "4");
  auto rows = store.kv_scan("step/", "miss/");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].scope == "step/main/faq/0");
  CHECK(rows[0].key == "miss/dia chi");
  CHECK(rows[1].key == "miss/gia rang");
  CHECK(rows[2].scope == "step/other/faq/1");
  CHECK(rows[2].value == "3");
  CHECK(store.kv_scan("step/main", "miss%").size() == 1);
  CHECK(store.kv_scan("", "").size() == 6);
  CHECK(store.kv_scan("step_", "").empty());
}

}  // namespace switchboard::store::testing
