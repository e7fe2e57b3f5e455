// The faq handler through FakeHost with the host's real folder and the
// shipped sample packs: answers, thresholds, misses, limits, variants.
#include <doctest/doctest.h>
#include <switchboard/testing/fake_host.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "real_folder.hpp"

using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

namespace {

const std::string kClinicFaq = SWITCHBOARD_INTENTS_DIR "/vi/clinic-faq.json";
const std::string kSchoolFaq = SWITCHBOARD_INTENTS_DIR "/vi/school-faq.json";

struct FoldingHost : FakeHost {
  FoldingHost() : FakeHost(sb_plugin_entry_v1) { set_text_folder(switchboard::testing::real_folder()); }
};

Json message(const std::string& text, const std::string& conversation = "c1",
             const std::string& at = "2026-01-05T02:00:00Z") {
  return {{"text", text}, {"conversation", {{"id", conversation}}}, {"received_at", at}};
}

class TempPack {
 public:
  explicit TempPack(const Json& pack)
      : path_(std::filesystem::temp_directory_path() / ("faq_test_" + std::to_string(::getpid()) + ".json")) {
    std::ofstream(path_) << pack.dump();
  }
  ~TempPack() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("a price question in shorthand, without marks or in NFD gets the price answer and stops") {
  FoldingHost host;
  auto faq = host.create({{"packs", {kClinicFaq}}});
  for (const char* text :
       {"gia kham bn vay ad", "Giá khám bao nhiêu ạ?", "gia\xcc\x81 kha\xcc\x81m bao nhie\xcc\x82u"}) {
    auto run = host.message(faq, message(text, std::string("c-") + text));
    CHECK(run.status == SB_OK);
    CHECK(run.action == SB_ACTION_STOP);
    REQUIRE_MESSAGE(run.replies.size() == 1, text);
    CHECK(run.replies[0]["text"].get<std::string>().rfind("Dạ, phí khám", 0) == 0);
    CHECK(run.attributes["faq"]["id"] == "price_consultation");
    CHECK(run.tags == std::vector<std::string>{"faq_answered"});
  }
}

TEST_CASE("each sample FAQ question finds its own entry") {
  for (const std::string& file : {kClinicFaq, kSchoolFaq}) {
    FoldingHost host;
    auto faq = host.create({{"packs", {file}}, {"max_answers_per_hour", 0}});
    std::ifstream in(file);
    Json pack = Json::parse(in);
    for (const auto& entry : pack["entries"]) {
      for (const auto& question : entry["questions"]) {
        auto run = host.message(faq, message(question.get<std::string>()));
        CHECK_MESSAGE(run.attributes.value("faq", Json::object()).value("id", "") == entry["id"],
                      file << ": " << question);
      }
    }
  }
}

TEST_CASE("an unknown question continues and is recorded durably, counted by its folded form") {
  FoldingHost host;
  auto faq = host.create({{"packs", {kClinicFaq}}});
  auto run = host.message(faq, message("Phòng khám có bán kính áp tròng không?"));
  CHECK(run.action == SB_ACTION_CONTINUE);
  CHECK(run.replies.empty());
  CHECK(run.tags == std::vector<std::string>{"faq_miss"});
  host.message(faq, message("phong kham co ban kinh ap trong khong", "c2", "2026-01-06T03:00:00Z"));
  auto kv = host.kv();
  auto it = kv.find("miss/phong kham co ban kinh ap trong khong");
  REQUIRE(it != kv.end());
  Json value = Json::parse(it->second);
  CHECK(value["count"] == 2);
  CHECK(value["text"] == "Phòng khám có bán kính áp tròng không?");
  CHECK(value["last_at"] == "2026-01-06T03:00:00Z");
}

TEST_CASE("intents left to people are never answered from the FAQ, nor recorded as misses") {
  FoldingHost host;
  auto faq = host.create({{"packs", {kClinicFaq}}});
  Json medical = message("giá khám đau bụng bao nhiêu");
  medical["intent"] = {{"name", "medical_question"}, {"score", 0.9}};
  auto run = host.message(faq, medical);
  CHECK(run.action == SB_ACTION_CONTINUE);
  CHECK(run.replies.empty());
  CHECK(host.kv().empty());
}

TEST_CASE("answer variants are used in turn within a conversation") {
  FoldingHost host;
  auto faq = host.create({{"packs", {kClinicFaq}}});
  auto first = host.message(faq, message("phòng khám ở đâu"));
  auto second = host.message(faq, message("phòng khám ở đâu"));
  auto third = host.message(faq, message("phòng khám ở đâu"));
  REQUIRE(first.replies.size() == 1);
  REQUIRE(second.replies.size() == 1);
  CHECK(first.replies[0]["text"] != second.replies[0]["text"]);
  CHECK(third.replies[0]["text"] == first.replies[0]["text"]);
  CHECK(host.message(faq, message("phòng khám ở đâu", "other")).replies[0]["text"] == first.replies[0]["text"]);
}

TEST_CASE("max_answers_per_hour limits answers per conversation within any hour") {
  FoldingHost host;
  auto faq = host.create({{"packs", {kClinicFaq}}, {"max_answers_per_hour", 2}});
  CHECK(host.message(faq, message("giá khám", "c", "2026-01-05T02:00:00Z")).replies.size() == 1);
  CHECK(host.message(faq, message("địa chỉ", "c", "2026-01-05T02:30:00Z")).replies.size() == 1);
  auto limited = host.message(faq, message("hotline", "c", "2026-01-05T02:59:00Z"));
  CHECK(limited.replies.empty());
  CHECK(limited.action == SB_ACTION_CONTINUE);
  CHECK(limited.tags == std::vector<std::string>{"faq_rate_limited"});
  CHECK(host.message(faq, message("hotline", "other", "2026-01-05T02:59:00Z")).replies.size() == 1);
  CHECK(host.message(faq, message("hotline", "c", "2026-01-05T03:01:00Z")).replies.size() == 1);
}

TEST_CASE("answers fill {hours.*} from the configured calendar at the message's time") {
  FoldingHost host;
  Json hours = {{"timezone", "Asia/Ho_Chi_Minh"},
                {"weekly", {{"mon", {"07:30-11:30", "13:30-17:00"}}, {"sat", {"07:30-11:30"}}}}};
  auto faq = host.create({{"packs", {kClinicFaq}}, {"hours", hours}});
  // 2026-01-05 is a Monday; 02:00Z is 09:00 in Ho Chi Minh City.
  auto run = host.message(faq, message("giờ làm việc", "c", "2026-01-05T02:00:00Z"));
  REQUIRE(run.replies.size() == 1);
  std::string text = run.replies[0]["text"];
  CHECK(text.find("Hôm nay: 07:30–11:30, 13:30–17:00.") != std::string::npos);
  CHECK(text.find("Chủ nhật: nghỉ (closed)") != std::string::npos);
}

TEST_CASE("the intent an earlier step set lifts its linked entries over the threshold") {
  FoldingHost host;
  TempPack pack(Json{{"entries",
                      {{{"id", "fee"}, {"intent", "tuition"}, {"questions", {"hoc phi nam nay"}}, {"answers", {"A"}}},
                       {{"id", "dorm"}, {"questions", {"ky tuc xa"}}, {"answers", {"B"}}}}}});
  auto faq = host.create({{"packs", {pack.path()}}, {"min_score", 0.75}});
  CHECK(host.message(faq, message("hoc phi")).replies.empty());  // half the variant's weight
  Json with_intent = message("hoc phi", "c2");
  with_intent["intent"] = {{"name", "tuition"}, {"score", 0.8}};
  auto run = host.message(faq, with_intent);
  REQUIRE(run.replies.size() == 1);
  CHECK(run.replies[0]["text"] == "A");
}

TEST_CASE("broken packs are config errors naming the file and entry") {
  FoldingHost host;
  TempPack bad_template(Json{{"entries", {{{"id", "x"}, {"questions", {"q"}}, {"answers", {"Chào {contact.name"}}}}}});
  CHECK_THROWS_WITH_AS(host.create({{"packs", {bad_template.path()}}}),
                       "create failed: entry 'x': answer: unclosed '{' at byte 6", std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"packs", {"/nonexistent/faq.json"}}}),
                       "create failed: /nonexistent/faq.json: cannot be read", std::runtime_error);
  TempPack no_answers(Json{{"entries", {{{"id", "x"}, {"questions", {"q"}}}}}});
  CHECK_THROWS_WITH_AS(
      host.create({{"packs", {no_answers.path()}}}),
      ("create failed: " + no_answers.path() + ": entry 'x': 'answers' must be a non-empty array of strings").c_str(),
      std::runtime_error);
}
