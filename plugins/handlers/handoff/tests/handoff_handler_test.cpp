// The handoff handler through FakeHost, with the host's real text folding.
#include <doctest/doctest.h>
#include <switchboard/testing/fake_host.hpp>

#include "text/folding.hpp"

extern "C" const sb_plugin_v1* sb_plugin_entry_v1(const sb_host_v1* host);

using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

namespace {

void use_host_folding(FakeHost& host) {
  host.set_text_folder([](std::string_view text, int32_t form) {
    // No shorthand table here: the expanded form is the plain fold.
    return form == SB_TEXT_NFC ? switchboard::text::to_nfc(text) : switchboard::text::fold(text);
  });
}

const Json kClinicRules = Json::parse(R"({
  "rules": [
    {"intent": "emergency", "department": "le-tan", "priority": "urgent", "reason": "cấp cứu"},
    {"intent": "medical_question", "department": "bac-si", "priority": "normal"},
    {"intent": "complaint", "department": "cskh", "priority": "high"},
    {"keywords": ["hoàn tiền", "khiếu nại"], "department": "cskh", "priority": "high", "reason": "từ khoá"},
    {"channel": "email", "department": "cskh", "priority": "low"}
  ],
  "default_department": "le-tan",
  "names": {"le-tan": "Lễ tân", "bac-si": "Bác sĩ tư vấn", "cskh": "CSKH"}
})");

Json message(const std::string& text, const char* intent = nullptr, const char* channel = "zalo_oa") {
  Json m = {
      {"text", text}, {"channel", channel}, {"inbox", "zalo"}, {"contact", {{"name", "Lan"}}}, {"tags", Json::array()}};
  m["intent"] = intent ? Json{{"name", intent}, {"score", 0.9}} : Json(nullptr);
  return m;
}

}  // namespace

TEST_CASE("the first matching rule decides department, priority and reason; the customer is told") {
  FakeHost host(sb_plugin_entry_v1);
  use_host_folding(host);
  auto handoff = host.create(kClinicRules);
  auto run = host.message(handoff, message("em bị khó thở quá", "emergency"));
  REQUIRE(run.status == SB_OK);
  CHECK(run.action == SB_ACTION_STOP);
  REQUIRE(run.assignment);
  CHECK(run.assignment->queue == "le-tan");
  CHECK(run.assignment->priority == SB_PRIORITY_URGENT);
  CHECK(run.assignment->reason == "cấp cứu");
  REQUIRE(run.replies.size() == 1);
  CHECK(run.replies[0]["text"].get<std::string>().find("Lan") != std::string::npos);
  CHECK(run.replies[0]["text"].get<std::string>().find("bộ phận Lễ tân") != std::string::npos);
  CHECK(run.tags == std::vector<std::string>{"handoff"});

  auto doctor = host.message(handoff, message("uống thuốc gì ạ", "medical_question"));
  CHECK(doctor.assignment->queue == "bac-si");
  CHECK(doctor.assignment->priority == SB_PRIORITY_NORMAL);
}

TEST_CASE("keywords match the folded text, with or without diacritics, as whole words") {
  FakeHost host(sb_plugin_entry_v1);
  use_host_folding(host);
  auto handoff = host.create(kClinicRules);
  CHECK(host.message(handoff, message("Tôi muốn HOÀN TIỀN!!")).assignment->queue == "cskh");
  CHECK(host.message(handoff, message("toi muon hoan tien")).assignment->reason == "từ khoá");
  // "hoan tienx" is not the phrase: falls to the default department.
  auto other = host.message(handoff, message("hoan tienx"));
  CHECK(other.assignment->queue == "le-tan");
  CHECK(other.assignment->reason == "no rule matched: default department");
}

TEST_CASE("channel, tag and attribute conditions; without a default an unmatched message continues") {
  FakeHost host(sb_plugin_entry_v1);
  use_host_folding(host);
  Json config = {{"rules",
                  {{{"tags", {"vip"}}, {"department", "cskh"}, {"priority", "high"}},
                   {{"attributes", {{"lang", "en"}}}, {"department", "quoc-te"}},
                   {{"channel", "email"}, {"department", "hanh-chinh"}}}},
                 {"message", ""}};
  auto handoff = host.create(config);
  Json vip = message("alo");
  vip["tags"] = {"vip"};
  CHECK(host.message(handoff, vip).assignment->queue == "cskh");
  Json english = message("hello");
  english["attributes"] = {{"lang", "en"}};
  CHECK(host.message(handoff, english).assignment->queue == "quoc-te");
  auto mail = host.message(handoff, message("xin chào", nullptr, "email"));
  CHECK(mail.assignment->queue == "hanh-chinh");
  CHECK(mail.replies.empty());  // message "" says nothing
  auto none = host.message(handoff, message("xin chào"));
  CHECK(none.status == SB_OK);
  CHECK(none.action == SB_ACTION_CONTINUE);
  CHECK_FALSE(none.assignment);
}

TEST_CASE("config mistakes name the rule and field") {
  FakeHost host(sb_plugin_entry_v1);
  use_host_folding(host);
  auto error_of = [&](const Json& config) {
    try {
      host.create(config);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of({{"rules", {{{"intent", "x"}}}}}) == "create failed: rules/0/department: required");
  CHECK(error_of({{"rules", {{{"department", "a"}, {"priority", "asap"}}}}}) ==
        "create failed: rules/0/priority: must be low, normal, high or urgent, got 'asap'");
  CHECK(error_of({{"rules", {{{"department", "a"}, {"keyword", "x"}}}}}) ==
        "create failed: rules/0/keyword: unknown key in rule");
}

TEST_CASE("a follow event is passed over: no department, no reply, even with a default department") {
  FakeHost host(sb_plugin_entry_v1);
  use_host_folding(host);
  auto handoff = host.create(kClinicRules);
  Json follow = message("");
  follow["type"] = "follow";
  auto run = host.message(handoff, follow);
  REQUIRE(run.status == SB_OK);
  CHECK(run.action == SB_ACTION_CONTINUE);
  CHECK_FALSE(run.assignment);
  CHECK(run.replies.empty());
  CHECK(run.tags.empty());
}
