// The host table's text_fold: the three forms, the installed shorthand table
// deciding SB_TEXT_FOLD_EXPAND, and statuses for bad input.
#include <doctest/doctest.h>

#include <string>

#include "plugins/host_api.hpp"
#include "plugins/host_context.hpp"

using switchboard::plugins::host_api;
using switchboard::plugins::install_text_folder;
using switchboard::text::Shorthand;
using switchboard::text::TextFolder;

namespace {

struct AnyContext : sb_ctx {
  void log(int32_t, std::string_view) override {}
};

void append(void* user, sb_str value) { static_cast<std::string*>(user)->assign(value.ptr, value.len); }

sb_status fold(const std::string& text, int32_t form, std::string& out) {
  AnyContext ctx;
  return host_api().text_fold(&ctx, sb_str{text.data(), text.size()}, form, &append, &out);
}

}  // namespace

TEST_CASE("text_fold expands shorthand with the installed table") {
  auto table = Shorthand::from_json(
      {{"tokens", {{"ad", "admin"}}}, {"ambiguous", {{"bn", {{{"expand", "bao nhieu"}, {"prev", {"kham"}}}}}}}},
      "test");
  install_text_folder(std::make_shared<const TextFolder>(std::make_shared<const Shorthand>(table)));
  std::string out;
  CHECK(fold("Giá khám bn vậy ad!", SB_TEXT_FOLD_EXPAND, out) == SB_OK);
  CHECK(out == "gia kham bao nhieu vay admin");
  CHECK(fold("Giá khám bn vậy ad!", SB_TEXT_FOLD, out) == SB_OK);
  CHECK(out == "gia kham bn vay ad");
  CHECK(fold("kha\xcc\x81m", SB_TEXT_NFC, out) == SB_OK);
  CHECK(out == "kh\xc3\xa1m");
  install_text_folder(std::make_shared<const TextFolder>());
  CHECK(fold("ad oiii", SB_TEXT_FOLD_EXPAND, out) == SB_OK);
  CHECK(out == "ad oi");
}

TEST_CASE("text_fold refuses invalid UTF-8 and unknown forms") {
  std::string out;
  CHECK(fold("\xff\xfe", SB_TEXT_FOLD_EXPAND, out) == SB_ERR_INVALID);
  CHECK(fold("x", 7, out) == SB_ERR_UNSUPPORTED);
  AnyContext ctx;
  CHECK(host_api().text_fold(&ctx, sb_str{"x", 1}, SB_TEXT_FOLD, nullptr, nullptr) == SB_ERR_INVALID);
}
