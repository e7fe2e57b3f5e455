// Messages per second through what the intent and faq handlers do for one
// message — expanded fold and NFC through the run's FoldMemo as the host
// answers text_fold (the faq step's fold is a memo hit), RE2 intent
// classification, BM25 FAQ lookup — on one core, with synthetic packs of 300
// intents and 500 FAQ entries generated at start-up from Vietnamese
// syllables. Prints numbers; asserts nothing. JSON handling and the host's
// ABI hop are not included (see docs/benchmarks.md).
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "faq_index.hpp"
#include "intent_matcher.hpp"
#include "text/fold_memo.hpp"
#include "text/folding.hpp"
#include "text/shorthand.hpp"
#include "text/text_folder.hpp"

namespace intent = switchboard::plugins::intent;
namespace faq = switchboard::plugins::faq;
using switchboard::text::TextFolder;

namespace {

const std::vector<std::string> kSyllables = {
    "khám", "giá",  "học",   "phí", "đặt",   "lịch", "bác",  "sĩ",    "răng",  "mắt",   "tai",   "mũi",
    "họng", "tim",  "phổi",  "gan", "thận",  "máu",  "xét",  "tuyển", "điểm",  "chuẩn", "ngành", "trường",
    "lớp",  "thi",  "hồ",    "sơ",  "nộp",   "đóng", "tiền", "bảo",   "hiểm",  "tiêm",  "chủng", "vắc",
    "xin",  "kết",  "quả",   "địa", "chỉ",   "giờ",  "mở",   "cửa",   "nghỉ",  "trưa",  "sáng",  "chiều",
    "tối",  "thứ",  "bảy",   "chủ", "nhật",  "ký",   "túc",  "xá",    "học",   "bổng",  "miễn",  "giảm",
    "nhập", "viện", "khoa",  "nhi", "sản",   "da",   "liễu", "nội",   "ngoại", "siêu",  "âm",    "chụp",
    "phim", "đo",   "huyết", "áp",  "đường", "mỡ",   "gói",  "tổng",  "quát",  "định",  "kỳ",    "công"};

std::string phrase(std::mt19937& rng, int words) {
  std::uniform_int_distribution<std::size_t> pick(0, kSyllables.size() - 1);
  std::string out;
  for (int i = 0; i < words; ++i) out += (i ? " " : "") + kSyllables[pick(rng)];
  return out;
}

std::vector<intent::IntentSpec> synthetic_intents(std::mt19937& rng, const TextFolder& fold) {
  std::vector<intent::IntentSpec> intents;
  for (int i = 0; i < 300; ++i) {
    intent::IntentSpec spec;
    spec.name = "intent_" + std::to_string(i);
    spec.pack = "synthetic";
    spec.priority = 10 + i % 90;
    for (int p = 0; p < 4; ++p) {
      std::string a = fold(phrase(rng, 1), SB_TEXT_FOLD), b = fold(phrase(rng, 1), SB_TEXT_FOLD);
      spec.folded.push_back({"\\b" + a + "\\b.*\\b" + b + "\\b", 0.6});
    }
    spec.folded.push_back({"\\b" + fold(phrase(rng, 2), SB_TEXT_FOLD) + "\\b", 0.8});
    intents.push_back(std::move(spec));
  }
  return intents;
}

std::vector<std::vector<std::string>> synthetic_faq(std::mt19937& rng, const TextFolder& fold,
                                                    std::vector<std::string>& originals) {
  std::vector<std::vector<std::string>> questions;
  for (int i = 0; i < 500; ++i) {
    std::vector<std::string> variants;
    for (int v = 0; v < 3; ++v) {
      std::string question = phrase(rng, 3 + v);
      originals.push_back(question);
      variants.push_back(fold(question, SB_TEXT_FOLD_EXPAND));
    }
    questions.push_back(std::move(variants));
  }
  return questions;
}

// What customers send: FAQ wordings with filler and shorthand, half without
// marks, a tenth decomposed (NFD), and unrelated chatter.
std::vector<std::string> messages(std::mt19937& rng, const std::vector<std::string>& originals) {
  std::vector<std::string> out;
  std::uniform_int_distribution<std::size_t> pick(0, originals.size() - 1);
  const char* fillers[] = {"ad ơi cho em hỏi ", "", "bn ơi ", "dạ ", "cho mình hỏi "};
  const char* endings[] = {" vậy ad", " bn ạ", "?", " ko", " đc ko ạ"};
  for (int i = 0; i < 10000; ++i) {
    std::string text =
        std::string(fillers[i % 5]) + (i % 7 == 0 ? phrase(rng, 8) : originals[pick(rng)]) + endings[i % 5];
    if (i % 2 == 1) text = switchboard::text::fold(text);  // typed without marks
    out.push_back(std::move(text));
  }
  return out;
}

}  // namespace

int main() {
  std::mt19937 rng(42);
  TextFolder fold(std::make_shared<const switchboard::text::Shorthand>(
      switchboard::text::Shorthand::load(SWITCHBOARD_INTENTS_DIR "/shorthand.json")));
  auto build_start = std::chrono::steady_clock::now();
  intent::IntentMatcher matcher(synthetic_intents(rng, fold));
  std::vector<std::string> originals;
  faq::FaqIndex index(synthetic_faq(rng, fold, originals), {"admin", "oi", "a", "cho", "em", "hoi", "minh"});
  double build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - build_start).count();
  std::vector<std::string> inputs = messages(rng, originals);

  // Each part alone first, then the whole path.
  std::vector<std::string> folded_inputs, nfc_inputs;
  for (const auto& text : inputs) {
    folded_inputs.push_back(fold(text, SB_TEXT_FOLD_EXPAND));
    nfc_inputs.push_back(fold(text, SB_TEXT_NFC));
  }
  auto part = [&](const char* name, auto&& body) {
    auto t0 = std::chrono::steady_clock::now();
    std::size_t sink = 0;
    for (int r = 0; r < 5; ++r) {
      for (std::size_t i = 0; i < inputs.size(); ++i) sink += body(i);
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("  %-28s %9.0f /s (%.2f us)  [%zu]\n", name, 5 * inputs.size() / s, 1e6 * s / (5 * inputs.size()),
                sink);
  };
  part("fold + expand", [&](std::size_t i) { return fold(inputs[i], SB_TEXT_FOLD_EXPAND).size(); });
  part("NFC", [&](std::size_t i) { return fold(inputs[i], SB_TEXT_NFC).size(); });
  part("intent (FilteredRE2)",
       [&](std::size_t i) { return std::size_t{matcher.classify(folded_inputs[i], nfc_inputs[i], 0.5).has_value()}; });
  part("faq (BM25)", [&](std::size_t i) { return std::size_t{index.best(folded_inputs[i]).has_value()}; });

  std::size_t answered = 0, classified = 0;
  const std::size_t rounds = 20;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t r = 0; r < rounds; ++r) {
    for (const std::string& text : inputs) {
      switchboard::text::FoldMemo memo;                                 // one per pipeline run
      std::string folded = memo.fold(fold, text, SB_TEXT_FOLD_EXPAND);  // intent step (copies, as the SDK does)
      std::string nfc = matcher.has_original_patterns() ? memo.fold(fold, text, SB_TEXT_NFC) : std::string();
      classified += matcher.classify(folded, nfc, 0.5).has_value();
      std::string folded_again = memo.fold(fold, text, SB_TEXT_FOLD_EXPAND);  // faq step: a memo hit
      auto hit = index.best(folded_again);
      answered += hit && hit->score >= 0.6;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double total = static_cast<double>(rounds * inputs.size());
  std::printf("packs: 300 intents (1500 patterns), 500 FAQ entries (1500 variants), built in %.0f ms\n", build_ms);
  std::printf("messages: %.0f in %.2f s on one thread = %.0f msg/s (%.2f us/msg)\n", total, seconds, total / seconds,
              1e6 * seconds / total);
  std::printf("classified %.1f %%, FAQ answered %.1f %%\n", 100.0 * classified / total, 100.0 * answered / total);
  return 0;
}
