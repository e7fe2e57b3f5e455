// business_hours through FakeHost: open/closed by the message's time in the
// calendar's zone, one closed reply per closed period, per-inbox calendars.
#include <doctest/doctest.h>
#include <switchboard/testing/fake_host.hpp>

using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

namespace {

// Ho Chi Minh City is UTC+7: 2026-01-05 (a Monday) 09:00 local = 02:00Z.
Json at(const std::string& utc, const std::string& conversation = "c1", const std::string& inbox = "zalo") {
  return {{"text", "hi"}, {"inbox", inbox}, {"conversation", {{"id", conversation}}}, {"received_at", utc}};
}

Json clinic_hours() {
  return {{"weekly", {{"mon", {"07:30-11:30", "13:30-17:00"}}, {"tue", {"07:30-11:30", "13:30-17:00"}}}},
          {"holidays", {"2026-01-06"}},
          {"closed_reply", "Đóng cửa. Mở lại {hours.next_open}."}};
}

}  // namespace

TEST_CASE("inside opening hours the message passes untouched") {
  FakeHost host(sb_plugin_entry_v1);
  auto hours = host.create(clinic_hours());
  auto run = host.message(hours, at("2026-01-05T02:00:00Z"));  // Mon 09:00
  CHECK(run.action == SB_ACTION_CONTINUE);
  CHECK(run.replies.empty());
  CHECK(run.tags.empty());
}

TEST_CASE("the lunch break is closed: tag, reply naming the next opening, and continue") {
  FakeHost host(sb_plugin_entry_v1);
  auto hours = host.create(clinic_hours());
  auto run = host.message(hours, at("2026-01-05T05:00:00Z"));  // Mon 12:00
  CHECK(run.action == SB_ACTION_CONTINUE);
  CHECK(run.tags == std::vector<std::string>{"after_hours"});
  REQUIRE(run.replies.size() == 1);
  CHECK(run.replies[0]["text"] == "Đóng cửa. Mở lại 13:30 Thứ Hai 05/01.");
}

TEST_CASE("one closed reply per conversation per closed period") {
  FakeHost host(sb_plugin_entry_v1);
  auto hours = host.create(clinic_hours());
  CHECK(host.message(hours, at("2026-01-05T11:00:00Z")).replies.size() == 1);  // Mon 18:00
  auto again = host.message(hours, at("2026-01-05T15:00:00Z"));                // Mon 22:00, same night
  CHECK(again.replies.empty());
  CHECK(again.tags == std::vector<std::string>{"after_hours"});
  CHECK(host.message(hours, at("2026-01-05T15:00:00Z", "c2")).replies.size() == 1);  // another conversation
  // Tuesday is a holiday, so the night runs on to Wednesday... which is closed too (not in weekly):
  // the period ends at the next opening, Monday 12th 07:30.
  auto later = host.message(hours, at("2026-01-07T03:00:00Z"));
  CHECK(later.replies.empty());
  CHECK(host.message(hours, at("2026-01-12T02:00:00Z")).tags.empty());  // open again
  auto next_period = host.message(hours, at("2026-01-12T05:00:00Z"));   // Monday's lunch: a new period
  REQUIRE(next_period.replies.size() == 1);
  CHECK(next_period.replies[0]["text"] == "Đóng cửa. Mở lại 13:30 Thứ Hai 12/01.");
}

TEST_CASE("per-inbox calendars override the default; stop_when_closed stops") {
  FakeHost host(sb_plugin_entry_v1);
  Json config = clinic_hours();
  config["per_inbox"] = {{"email", {{"weekly", {{"mon", {"00:00-24:00"}}}}}}};
  config["stop_when_closed"] = true;
  auto hours = host.create(config);
  CHECK(host.message(hours, at("2026-01-05T05:00:00Z", "c", "email")).tags.empty());
  auto closed = host.message(hours, at("2026-01-05T05:00:00Z", "c", "zalo"));
  CHECK(closed.action == SB_ACTION_STOP);
}

TEST_CASE("bad schedules are config errors") {
  FakeHost host(sb_plugin_entry_v1);
  CHECK_THROWS_WITH_AS(host.create({{"weekly", {{"mon", {"08:00-07:00"}}}}}),
                       "create failed: calendar/weekly/mon: '08:00-07:00' ends before it starts", std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"weekly", {{"monday", {"08:00-17:00"}}}}}),
                       "create failed: calendar/weekly/monday: days are mon, tue … sun", std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"weekly", Json::object()}, {"holidays", {"2026-02-30"}}}),
                       "create failed: calendar/holidays: '2026-02-30' does not exist", std::runtime_error);
  CHECK_THROWS_WITH_AS(host.create({{"weekly", Json::object()}, {"timezone", "Asia/Hanoi"}}),
                       "create failed: calendar/timezone: unknown time zone 'Asia/Hanoi' (no TZif file at "
                       "/usr/share/zoneinfo/Asia/Hanoi)",
                       std::runtime_error);
}
