// The intent handler through FakeHost with the host's real folder: matching
// on the expanded fold, scores, priorities, actions and config errors.
#include <doctest/doctest.h>
#include <switchboard/testing/fake_host.hpp>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "real_folder.hpp"

using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

namespace {

// A pack written to a temporary file.
class TempPack {
 public:
  explicit TempPack(const Json& pack) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("intent_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".json");
    std::ofstream(path_) << pack.dump();
  }
  ~TempPack() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// A FakeHost folding with the host's real folder.
struct FoldingHost : FakeHost {
  FoldingHost() : FakeHost(sb_plugin_entry_v1) { set_text_folder(switchboard::testing::real_folder()); }
};

const Json kPack = {{"intents",
                     {{{"name", "price"},
                       {"priority", 50},
                       {"tags", {"price"}},
                       {"patterns", {"\\bgia\\b.*\\bbao nhieu\\b", {{"re", "\\bbao nhieu tien\\b"}, {"weight", 0.9}}}},
                       {"examples", {"giá bao nhiêu"}}},
                      {{"name", "emergency"},
                       {"priority", 100},
                       {"patterns", {"\\bcap cuu\\b"}},
                       {"reply", "Gọi 115 ngay, {contact.name|bạn} nhé"},
                       {"assign", {{"queue", "clinician"}, {"priority", "urgent"}}},
                       {"stop", true},
                       {"examples", {"cấp cứu"}}},
                      {{"name", "greeting"},
                       {"priority", 10},
                       {"patterns", {{{"re", "\\bchao\\b"}, {"weight", 0.4}}}},
                       {"original_patterns", {"xin chào"}},
                       {"examples", {"xin chào"}}}}}};

}  // namespace

TEST_CASE("intent matches the expanded fold: shorthand, no marks, NFD all classify") {
  FoldingHost host;
  TempPack pack(kPack);
  auto intent = host.create({{"packs", {pack.path()}}});
  for (const char* text : {"gia kham bn vay ad", "Giá khám BAO NHIÊU?", "gia\xcc\x81 kha\xcc\x81m bao nhie\xcc\x82u"}) {
    auto run = host.message(intent, {{"text", text}});
    CHECK(run.status == SB_OK);
    CHECK(run.action == SB_ACTION_CONTINUE);
    REQUIRE_MESSAGE(run.intent, text);
    CHECK(run.intent->first == "price");
    CHECK(run.intent->second == doctest::Approx(0.7));
    CHECK(run.tags == std::vector<std::string>{"price"});
  }
}

TEST_CASE("several matching patterns raise the score; priority decides between intents") {
  FoldingHost host;
  TempPack pack(kPack);
  auto intent = host.create({{"packs", {pack.path()}}});
  auto both = host.message(intent, {{"text", "giá bao nhiêu tiền"}});
  REQUIRE(both.intent);
  CHECK(both.intent->second == doctest::Approx(1 - 0.3 * 0.1));
  auto urgent = host.message(intent, {{"text", "cấp cứu, giá bao nhiêu"}, {"contact", {{"name", "Lan"}}}});
  REQUIRE(urgent.intent);
  CHECK(urgent.intent->first == "emergency");
  CHECK(urgent.action == SB_ACTION_STOP);
  REQUIRE(urgent.replies.size() == 1);
  CHECK(urgent.replies[0]["text"] == "Gọi 115 ngay, Lan nhé");
  REQUIRE(urgent.assignment);
  CHECK(urgent.assignment->queue == "clinician");
  CHECK(urgent.assignment->priority == SB_PRIORITY_URGENT);
}

TEST_CASE("below min_score nothing is set; original patterns match the unfolded text") {
  FoldingHost host;
  TempPack pack(kPack);
  auto intent = host.create({{"packs", {pack.path()}}, {"unmatched_tag", "no_intent"}});
  auto weak = host.message(intent, {{"text", "chao ban"}});  // 0.4 < 0.5
  CHECK_FALSE(weak.intent);
  CHECK(weak.tags == std::vector<std::string>{"no_intent"});
  auto strong = host.message(intent, {{"text", "XIN CHÀO bạn"}});  // folded 0.4 + original 0.7
  REQUIRE(strong.intent);
  CHECK(strong.intent->first == "greeting");
  CHECK(strong.intent->second == doctest::Approx(1 - 0.6 * 0.3));
  CHECK(host.message(intent, {{"text", ""}}).action == SB_ACTION_CONTINUE);
}

TEST_CASE("a pattern that does not compile is a config error naming file, intent and pattern") {
  FoldingHost host;
  TempPack pack(Json{{"intents", {{{"name", "price"}, {"patterns", {"gia (bao"}}}}}});
  CHECK_THROWS_WITH_AS(
      host.create({{"packs", {pack.path()}}}),
      ("create failed: " + pack.path() + ": intent 'price': pattern 'gia (bao' does not compile: missing ): gia (bao")
          .c_str(),
      std::runtime_error);
}

TEST_CASE("broken packs and settings are refused") {
  FoldingHost host;
  TempPack no_patterns(Json{{"intents", {{{"name", "x"}}}}});
  CHECK_THROWS_WITH_AS(host.create({{"packs", {no_patterns.path()}}}),
                       ("create failed: " + no_patterns.path() + ": intent 'x': has no patterns").c_str(),
                       std::runtime_error);
  TempPack pack(kPack);
  CHECK_THROWS_WITH_AS(host.create({{"packs", {pack.path(), pack.path()}}}),
                       ("create failed: intent 'price' is defined in " + pack.path() + " and " + pack.path()).c_str(),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"packs", {"/nonexistent/pack.json"}}}),
                       "create failed: /nonexistent/pack.json: cannot be read", std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"packs", {pack.path()}}, {"min_score", 0}}),
                       "create failed: min_score: must be in (0, 1]", std::runtime_error);
}

// The matcher runs patterns one priority level at a time and stops at the
// first level with a winner; these pin down that a level without a winner —
// every intent vetoed or below min_score — hands over to the next one, and
// how intents of one level are ranked.
TEST_CASE("priority levels: a vetoed or weak higher intent lets a lower one win; ties go to the earlier") {
  const Json pack_json = {
      {"intents",
       {{{"name", "medical_question"},
         {"priority", 80},
         {"patterns", {"\\bdau\\b"}},
         {"unless", {"\\bdau\\b.*\\bo dau\\b", "\\bo dau\\b"}},
         {"examples", {"đau bụng"}}},
        {{"name", "weak_high"},
         {"priority", 80},
         {"patterns", {{{"re", "\\bbung\\b"}, {"weight", 0.3}}}},
         {"examples", {"bụng bụng"}}},
        {{"name", "address"}, {"priority", 40}, {"patterns", {"\\bo dau\\b"}}, {"examples", {"ở đâu"}}},
        {{"name", "hours"},
         {"priority", 20},
         {"patterns", {{{"re", "\\bmay gio\\b"}, {"weight", 0.8}}}},
         {"examples", {"mấy giờ"}}},
        {{"name", "open"},
         {"priority", 20},
         {"patterns", {{{"re", "\\bmo cua\\b"}, {"weight", 0.9}}}},
         {"examples", {"mở cửa"}}},
        {{"name", "open_too"},
         {"priority", 20},
         {"patterns", {{{"re", "\\bmo cua\\b"}, {"weight", 0.9}}}},
         {"examples", {"mở cửa không"}}}}}};
  FoldingHost host;
  TempPack pack(pack_json);
  auto intent = host.create({{"packs", {pack.path()}}});
  auto classify = [&](const char* text) {
    auto run = host.message(intent, {{"text", text}});
    return run.intent ? run.intent->first : std::string("-");
  };
  CHECK(classify("đau bụng quá") == "medical_question");
  CHECK(classify("phòng khám ở đâu") == "address");  // the higher intent is vetoed
  CHECK(classify("bụng ở đâu") == "address");        // weak_high scores 0.3 < 0.5
  CHECK(classify("mấy giờ mở cửa") == "open");       // same level: 0.9 beats 0.8
  CHECK(classify("mở cửa lúc nào") == "open");       // same level, same score: defined first
  CHECK(classify("đau ở đâu, mấy giờ mở cửa") == "address");
  CHECK(classify("không liên quan") == "-");
}
