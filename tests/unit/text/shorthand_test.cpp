// Shorthand expansion with the shipped table (intents/shorthand.json): whole
// tokens only, ambiguous forms resolved by context or left as typed.
#include <doctest/doctest.h>

#include <switchboard/plugin.h>

#include "text/folding.hpp"
#include "text/shorthand.hpp"
#include "text/text_folder.hpp"

using switchboard::text::Shorthand;
using switchboard::text::ShorthandError;
using switchboard::text::TextFolder;

namespace {

const Shorthand& shipped() {
  static const Shorthand table = Shorthand::load(SWITCHBOARD_INTENTS_DIR "/shorthand.json");
  return table;
}

std::string expand(const std::string& text) { return shipped().expand(switchboard::text::fold(text)); }

}  // namespace

TEST_CASE("unambiguous forms expand as whole tokens only") {
  CHECK(expand("sđt pk là j ạ") == "so dien thoai phong kham la gi a");
  CHECK(expand("ktx co k") == "ky tuc xa co khong");
  CHECK(expand("kham benh") == "kham benh");  // "k" inside a word is never touched
  CHECK(expand("Đăng kí") == "dang ky");
  CHECK(expand("đky onl dc ko") == "dang ky online duoc khong");
}

TEST_CASE("bn reads bao nhieu next to prices and amounts, ban when addressing someone") {
  CHECK(expand("gia kham bn vay ad") == "gia kham bao nhieu vay admin");
  CHECK(expand("hp bn") == "hoc phi bao nhieu");
  CHECK(expand("bn tien 1 lan kham") == "bao nhieu tien 1 lan kham");
  CHECK(expand("bn 500k") == "bao nhieu 500k");
  CHECK(expand("cam on bn nhe") == "cam on ban nhe");
  CHECK(expand("bn oi cho minh hoi") == "ban oi cho minh hoi");
  CHECK(expand("bn bi sot cao") == "benh nhan bi sot cao");
}

TEST_CASE("pk reads phong kham before a place or hours word, phai khong at the end") {
  CHECK(expand("pk o dau vay") == "phong kham o dau vay");
  CHECK(expand("gio lam viec cua pk") == "gio lam viec cua phong kham");
  CHECK(expand("hom nay nghi pk") == "hom nay nghi phai khong");
  CHECK(expand("mai lam viec pk ad") == "mai lam viec phai khong admin");
}

TEST_CASE("dk reads dang ky, duoc or dieu kien by context") {
  CHECK(expand("đk khám") == "dang ky kham");
  CHECK(expand("dk xet tuyen") == "dang ky xet tuyen");
  CHECK(expand("dk de nhan hoc bong") == "dieu kien de nhan hoc bong");
  CHECK(expand("tiem dk ko") == "tiem duoc khong");
  CHECK(expand("mua gi dk") == "mua gi dk");  // no rule applies: kept as typed
}

TEST_CASE("ck, hs, nv, k follow their context rules") {
  CHECK(expand("ck roi a") == "chuyen khoan roi a");
  CHECK(expand("ck em bi dau") == "ck em bi dau");  // neither reading is certain
  CHECK(expand("vo ck") == "vo chong");
  CHECK(expand("nop hs o dau") == "nop ho so o dau");
  CHECK(expand("hs lop 12") == "hoc sinh lop 12");
  CHECK(expand("nv 1") == "nguyen vong 1");
  CHECK(expand("gap nv tu van") == "gap nhan vien tu van");
  CHECK(expand("500 k") == "500 nghin");
  CHECK(expand("co k") == "co khong");
}

TEST_CASE("letters repeated for emphasis collapse; doubled ones stay") {
  CHECK(expand("nhiềuuuu quáaaa") == "nhieu qua");
  CHECK(expand("ad ơiiiii") == "admin oi");
  CHECK(switchboard::text::collapse_repeats("2000") == "2000");
  CHECK(switchboard::text::collapse_repeats("nhaa") == "nhaa");
}

TEST_CASE("the folder's expanded form equals fold then expand, for NFC and NFD") {
  TextFolder folder(std::make_shared<const Shorthand>(shipped()));
  std::string nfd = "gia\xcc\x81 kha\xcc\x81m bn va\xcc\xa3\xcc\x82y ad";  // giá khám bn vậy ad, decomposed
  CHECK(folder(nfd, SB_TEXT_FOLD_EXPAND) == "gia kham bao nhieu vay admin");
  CHECK(folder("Giá khám bn vậy ad", SB_TEXT_FOLD_EXPAND) == "gia kham bao nhieu vay admin");
  CHECK(folder("Giá khám bn", SB_TEXT_FOLD) == "gia kham bn");
  CHECK_THROWS_AS(folder("x", 9), switchboard::text::UnsupportedForm);
  TextFolder bare;
  CHECK(bare("bn oiii", SB_TEXT_FOLD_EXPAND) == "bn oi");
}

TEST_CASE("a malformed table is refused with the reason") {
  using Json = nlohmann::json;
  CHECK_THROWS_WITH_AS(Shorthand::from_json(Json{{"tokens", {{"Đk", "dang ky"}}}}, "t.json"),
                       "t.json: tokens/Đk: keys are folded words (a-z, 0-9), values strings", ShorthandError);
  CHECK_THROWS_WITH_AS(Shorthand::from_json(Json{{"ambiguous", {{"bn", {{{"prev", {"gia"}}}}}}}}, "t.json"),
                       "t.json: ambiguous/bn: a rule is an object with an \"expand\" string", ShorthandError);
  CHECK_THROWS_AS(Shorthand::load("/nonexistent/shorthand.json"), ShorthandError);
}
