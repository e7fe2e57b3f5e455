// The per-run memo behind text_fold: the same answers as the folder, each
// (text, form) folded once, bounded, and nothing remembered on failure.
#include <doctest/doctest.h>
#include <switchboard/plugin.h>

#include <string>

#include "text/fold_memo.hpp"
#include "text/folding.hpp"
#include "text/text_folder.hpp"

using switchboard::text::FoldMemo;
using switchboard::text::InvalidUtf8;
using switchboard::text::TextFolder;
using switchboard::text::UnsupportedForm;

TEST_CASE("the memo answers what the folder answers, per form") {
  TextFolder folder;
  FoldMemo memo;
  const std::string text = "Giá KHÁM bao nhiêu?";
  for (int32_t form : {SB_TEXT_NFC, SB_TEXT_FOLD, SB_TEXT_FOLD_EXPAND}) {
    CHECK(memo.fold(folder, text, form) == folder(text, form));
  }
  CHECK(memo.fold(folder, "đặt lịch", SB_TEXT_FOLD) == "dat lich");
}

TEST_CASE("a repeated request is answered from the stored entry") {
  TextFolder folder;
  FoldMemo memo;
  const std::string* first = &memo.fold(folder, "đặt lịch khám", SB_TEXT_FOLD_EXPAND);
  memo.fold(folder, "đặt lịch khám", SB_TEXT_NFC);
  const std::string* again = &memo.fold(folder, "đặt lịch khám", SB_TEXT_FOLD_EXPAND);
  CHECK(first == again);  // the same stored string: no second fold
  CHECK(*again == "dat lich kham");
}

TEST_CASE("past its capacity the memo still answers correctly") {
  TextFolder folder;
  FoldMemo memo;
  for (int i = 0; i < 40; ++i) {
    std::string text = "Câu hỏi số " + std::to_string(i);
    CHECK(memo.fold(folder, text, SB_TEXT_FOLD) == "cau hoi so " + std::to_string(i));
  }
  CHECK(memo.fold(folder, "Câu hỏi số 3", SB_TEXT_FOLD) == "cau hoi so 3");
}

TEST_CASE("failures propagate and are not remembered") {
  TextFolder folder;
  FoldMemo memo;
  CHECK_THROWS_AS(memo.fold(folder, "\xff\xfe", SB_TEXT_FOLD), InvalidUtf8);
  CHECK_THROWS_AS(memo.fold(folder, "\xff\xfe", SB_TEXT_FOLD), InvalidUtf8);
  CHECK_THROWS_AS(memo.fold(folder, "abc", 99), UnsupportedForm);
  CHECK(memo.fold(folder, "abc", SB_TEXT_FOLD) == "abc");
}
