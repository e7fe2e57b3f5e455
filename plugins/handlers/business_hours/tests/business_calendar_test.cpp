// The calendar library: civil dates, TZif offsets, intervals, holidays,
// exceptions and the next opening across days.
#include <doctest/doctest.h>
#include <switchboard/calendar/business_calendar.hpp>

using namespace switchboard::calendar;
using Json = switchboard::sdk::Json;

namespace {
int64_t utc(const char* text) { return *parse_rfc3339_ms(text); }
}  // namespace

TEST_CASE("civil dates and weekdays") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2026, 1, 5) == 20458);
  CHECK(weekday(days_from_civil(2026, 1, 5)) == 0);   // Monday
  CHECK(weekday(days_from_civil(2026, 2, 17)) == 1);  // Tết 2026 falls on a Tuesday
  CHECK(weekday(days_from_civil(1969, 12, 31)) == 2);
  CHECK(utc("2026-01-05T09:00:00+07:00") == utc("2026-01-05T02:00:00Z"));
  CHECK_FALSE(parse_rfc3339_ms("yesterday"));
}

TEST_CASE("time zones come from the TZif files") {
  TimeZone saigon = TimeZone::load("Asia/Ho_Chi_Minh");
  CHECK(saigon.offset_at(utc("2026-01-05T02:00:00Z") / 1000) == 7 * 3600);
  CHECK(saigon.offset_at(utc("1960-01-01T00:00:00Z") / 1000) == 8 * 3600);  // UTC+8 until 1975
  TimeZone paris = TimeZone::load("Europe/Paris");
  CHECK(paris.offset_at(utc("2026-01-05T12:00:00Z") / 1000) == 3600);
  CHECK(paris.offset_at(utc("2026-07-05T12:00:00Z") / 1000) == 7200);
  CHECK_THROWS_AS(TimeZone::load("../etc/passwd"), TimeZoneError);
}

TEST_CASE("holidays close whole days, exceptions reopen them, Tết as a range") {
  auto calendar = BusinessCalendar::from_json(
      Json{{"timezone", "Asia/Ho_Chi_Minh"},
           {"weekly", {{"mon", {"08:00-17:00"}}, {"tue", {"08:00-17:00"}}, {"sat", {"08:00-12:00"}}}},
           {"holidays", {"2026-02-14/2026-02-22"}},
           {"exceptions", {{"2026-02-21", {"08:00-10:00"}}}}},
      "test");
  CHECK(calendar.is_open(utc("2026-02-09T02:00:00Z")));                                   // Mon 09:00
  CHECK_FALSE(calendar.is_open(utc("2026-02-16T02:00:00Z")));                             // Mon in Tết
  CHECK(calendar.is_open(utc("2026-02-21T01:30:00Z")));                                   // Sat 08:30, the exception
  CHECK_FALSE(calendar.is_open(utc("2026-02-21T03:30:00Z")));                             // Sat 10:30
  CHECK(calendar.next_open(utc("2026-02-21T03:30:00Z")) == utc("2026-02-23T01:00:00Z"));  // Mon 23rd 08:00
  Json vars = calendar.variables(utc("2026-02-21T03:30:00Z"));
  CHECK(vars["today"] == "08:00–10:00");
  CHECK(vars["tomorrow"] == "nghỉ (closed)");
  CHECK(vars["next_open"] == "08:00 Thứ Hai 23/02");
}

TEST_CASE("a calendar that never opens has no next opening") {
  auto calendar = BusinessCalendar::from_json(Json{{"weekly", Json::object()}}, "test");
  CHECK_FALSE(calendar.next_open(utc("2026-01-05T02:00:00Z")));
  CHECK(calendar.variables(utc("2026-01-05T02:00:00Z"))["next_open"] == "");
}

TEST_CASE("open time between two instants counts only opening hours") {
  auto calendar =
      BusinessCalendar::from_json(Json{{"timezone", "Asia/Ho_Chi_Minh"},
                                       {"weekly", {{"fri", {"08:00-12:00", "13:30-17:00"}}, {"mon", {"07:30-17:00"}}}},
                                       {"holidays", {"2026-11-30"}}},
                                  "test");
  constexpr int64_t kMinute = 60 * 1000;
  // Friday 11:50 to 13:40: ten minutes before lunch, ten after.
  CHECK(calendar.open_ms_between(utc("2026-11-20T11:50:00+07:00"), utc("2026-11-20T13:40:00+07:00")) == 20 * kMinute);
  // Friday 16:55 to Monday 07:40: five minutes on Friday, ten on Monday.
  CHECK(calendar.open_ms_between(utc("2026-11-20T16:55:00+07:00"), utc("2026-11-23T07:40:00+07:00")) == 15 * kMinute);
  // A weekend wait counts nothing; a holiday Monday neither.
  CHECK(calendar.open_ms_between(utc("2026-11-21T09:00:00+07:00"), utc("2026-11-22T20:00:00+07:00")) == 0);
  CHECK(calendar.open_ms_between(utc("2026-11-30T06:00:00+07:00"), utc("2026-11-30T20:00:00+07:00")) == 0);
  CHECK(calendar.open_ms_between(utc("2026-11-23T09:00:00+07:00"), utc("2026-11-23T08:00:00+07:00")) == 0);
}
