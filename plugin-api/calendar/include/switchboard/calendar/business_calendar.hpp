// A business calendar: weekly opening hours with several intervals a day
// (lunch breaks), holidays (single dates or ranges, e.g. Tết) and one-off
// exceptions, in an IANA time zone. Shared by the host (SLA deadlines,
// agents' eligibility), the business_hours handler and {hours.*} reply texts.
//
// Immutable after from_json(); any thread may query it.
#pragma once

#include <switchboard/sdk.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "switchboard/calendar/time_zone.hpp"

namespace switchboard::calendar {

// [start, end) in minutes of the local day; end may be 1440 (24:00).
struct Interval {
  int start = 0;
  int end = 0;
};

using Day = std::vector<Interval>;

class BusinessCalendar {
 public:
  // {"timezone", "weekly": {"mon": ["08:00-12:00", "13:30-17:00"], …},
  //  "holidays": ["2026-01-01", "2026-02-14/2026-02-22"],
  //  "exceptions": {"2026-02-13": ["08:00-11:00"]}}. Throws sdk::ConfigError
  // prefixed with `where`.
  static BusinessCalendar from_json(const sdk::Json& config, const std::string& where);

  bool is_open(int64_t utc_ms) const;
  // The first opening at or after utc_ms; nullopt when closed for 400 days.
  std::optional<int64_t> next_open(int64_t utc_ms) const;
  // Open time between two instants, in ms: what an SLA counts (a wait that
  // starts Friday evening begins to count on Monday morning).
  int64_t open_ms_between(int64_t from_ms, int64_t to_ms) const;
  // Days since 1970-01-01 of the local date at utc_ms.
  int64_t local_day(int64_t utc_ms) const;
  const Day& hours_on(int64_t day) const;
  // {"today", "tomorrow", "week", "next_open", "open_now"}: texts for reply
  // templates, Vietnamese first then English ("08:00–12:00, 13:30–17:00").
  sdk::Json variables(int64_t utc_ms) const;

 private:
  std::string describe(const Day& day) const;
  std::string week_summary() const;

  TimeZone zone_ = TimeZone::fixed(0, "UTC");
  std::array<Day, 7> weekly_;          // index 0 = Monday
  std::map<int64_t, Day> exceptions_;  // by local day; holidays are closed days
};

// Civil date arithmetic (days since 1970-01-01), proleptic Gregorian.
int64_t days_from_civil(int year, unsigned month, unsigned day);
// 0 = Monday … 6 = Sunday.
int weekday(int64_t day);
// "2026-02-17" -> days; throws sdk::ConfigError.
int64_t parse_date(const std::string& text, const std::string& where);
// RFC 3339 UTC ("2026-01-05T02:00:00Z" or with an offset) -> ms; nullopt if malformed.
std::optional<int64_t> parse_rfc3339_ms(const std::string& text);

}  // namespace switchboard::calendar
