// Weekly hours, holidays and exceptions; day and time arithmetic in the
// calendar's zone.
#include "switchboard/calendar/business_calendar.hpp"

#include <algorithm>
#include <cstdio>

namespace switchboard::calendar {
namespace {

constexpr std::array<const char*, 7> kDayKeys{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<const char*, 7> kDayNamesVi{"Thứ Hai", "Thứ Ba",  "Thứ Tư",  "Thứ Năm",
                                                 "Thứ Sáu", "Thứ Bảy", "Chủ nhật"};
constexpr int64_t kDayMs = 86400000;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int parse_clock(const std::string& text, const std::string& where) {
  int hours = 0, minutes = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%2d:%2d%c", &hours, &minutes, &extra) != 2 || text.size() != 5 || hours < 0 ||
      minutes < 0 || minutes > 59 || hours * 60 + minutes > 24 * 60) {
    throw sdk::ConfigError(where + ": '" + text + "' is not a time HH:MM");
  }
  return hours * 60 + minutes;
}

Day parse_day(const sdk::Json& intervals, const std::string& where) {
  if (!intervals.is_array()) throw sdk::ConfigError(where + ": must be an array of \"HH:MM-HH:MM\"");
  Day day;
  for (const auto& item : intervals) {
    std::string text = item.is_string() ? item.get<std::string>() : "";
    auto dash = text.find('-');
    if (dash == std::string::npos) throw sdk::ConfigError(where + ": '" + text + "' is not \"HH:MM-HH:MM\"");
    Interval interval{parse_clock(text.substr(0, dash), where), parse_clock(text.substr(dash + 1), where)};
    if (interval.end <= interval.start) throw sdk::ConfigError(where + ": '" + text + "' ends before it starts");
    if (!day.empty() && interval.start < day.back().end) {
      throw sdk::ConfigError(where + ": intervals must be in order and not overlap");
    }
    day.push_back(interval);
  }
  return day;
}

std::string clock(int minutes) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", minutes / 60, minutes % 60);
  return buffer;
}

void civil_from_days(int64_t z, int& year, unsigned& month, unsigned& day) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(yoe + era * 400 + (month <= 2));
}

}  // namespace

int64_t days_from_civil(int year, unsigned month, unsigned day) {
  year -= month <= 2;
  int64_t era = floor_div(year, 400);
  auto yoe = static_cast<unsigned>(year - era * 400);
  unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// 1970-01-01 was a Thursday (3 when Monday is 0).
int weekday(int64_t day) { return static_cast<int>(day + 3 - floor_div(day + 3, 7) * 7); }

int64_t parse_date(const std::string& text, const std::string& where) {
  int year = 0;
  unsigned month = 0, day = 0;
  char extra = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &extra) != 3 || month < 1 ||
      month > 12 || day < 1 || day > 31) {
    throw sdk::ConfigError(where + ": '" + text + "' is not a date YYYY-MM-DD");
  }
  int64_t days = days_from_civil(year, month, day);
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  if (m != month) throw sdk::ConfigError(where + ": '" + text + "' does not exist");
  return days;
}

std::optional<int64_t> parse_rfc3339_ms(const std::string& text) {
  int year = 0, hour = 0, minute = 0, second = 0;
  unsigned month = 0, day = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2uT%2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second) != 6) {
    return std::nullopt;
  }
  std::size_t zone = text.find_first_of("Zz+-", 19);
  int64_t offset = 0;
  if (zone != std::string::npos && (text[zone] == '+' || text[zone] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(text.c_str() + zone + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset = (text[zone] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  return seconds * 1000;
}

BusinessCalendar BusinessCalendar::from_json(const sdk::Json& config, const std::string& where) {
  BusinessCalendar calendar;
  if (!config.is_object()) throw sdk::ConfigError(where + ": must be an object");
  std::string zone = config.value("timezone", "Asia/Ho_Chi_Minh");
  try {
    calendar.zone_ = TimeZone::load(zone);
  } catch (const TimeZoneError& e) {
    throw sdk::ConfigError(where + "/timezone: " + e.what());
  }
  const sdk::Json weekly = config.value("weekly", sdk::Json::object());
  for (const auto& [key, intervals] : weekly.items()) {
    std::size_t index = 0;
    while (index < kDayKeys.size() && key != kDayKeys[index]) ++index;
    if (index == kDayKeys.size()) throw sdk::ConfigError(where + "/weekly/" + key + ": days are mon, tue … sun");
    calendar.weekly_[index] = parse_day(intervals, where + "/weekly/" + key);
  }
  for (const auto& holiday : config.value("holidays", sdk::Json::array())) {
    std::string text = holiday.is_string() ? holiday.get<std::string>() : "";
    auto slash = text.find('/');
    int64_t first = parse_date(text.substr(0, slash), where + "/holidays");
    int64_t last = slash == std::string::npos ? first : parse_date(text.substr(slash + 1), where + "/holidays");
    if (last < first || last - first > 366) throw sdk::ConfigError(where + "/holidays: bad range '" + text + "'");
    for (int64_t day = first; day <= last; ++day) calendar.exceptions_[day] = Day{};
  }
  // Exceptions come last: a special opening inside a holiday range wins.
  const sdk::Json exceptions = config.value("exceptions", sdk::Json::object());
  for (const auto& [date, intervals] : exceptions.items()) {
    calendar.exceptions_[parse_date(date, where + "/exceptions")] = parse_day(intervals, where + "/exceptions/" + date);
  }
  return calendar;
}

int64_t BusinessCalendar::local_day(int64_t utc_ms) const {
  int64_t seconds = floor_div(utc_ms, 1000);
  return floor_div(seconds + zone_.offset_at(seconds), 86400);
}

const Day& BusinessCalendar::hours_on(int64_t day) const {
  auto it = exceptions_.find(day);
  return it != exceptions_.end() ? it->second : weekly_[static_cast<std::size_t>(weekday(day))];
}

bool BusinessCalendar::is_open(int64_t utc_ms) const {
  int64_t seconds = floor_div(utc_ms, 1000);
  int64_t local = seconds + zone_.offset_at(seconds);
  int minute = static_cast<int>((local - floor_div(local, 86400) * 86400) / 60);
  for (const Interval& interval : hours_on(floor_div(local, 86400))) {
    if (minute >= interval.start && minute < interval.end) return true;
  }
  return false;
}

std::optional<int64_t> BusinessCalendar::next_open(int64_t utc_ms) const {
  if (is_open(utc_ms)) return utc_ms;
  int64_t seconds = floor_div(utc_ms, 1000);
  int64_t local = seconds + zone_.offset_at(seconds);
  int64_t today = floor_div(local, 86400);
  for (int64_t day = today; day < today + 400; ++day) {
    for (const Interval& interval : hours_on(day)) {
      int64_t start_utc = zone_.to_utc(day * 86400 + interval.start * 60);
      if (start_utc > seconds) return start_utc * 1000;
    }
  }
  return std::nullopt;
}

int64_t BusinessCalendar::open_ms_between(int64_t from_ms, int64_t to_ms) const {
  constexpr int64_t kMaxDays = 400;  // longer waits have breached any SLA long before
  int64_t total = 0;
  int64_t first = local_day(from_ms);
  int64_t last = std::min(local_day(to_ms), first + kMaxDays);
  for (int64_t day = first; day <= last; ++day) {
    for (const Interval& interval : hours_on(day)) {
      int64_t start = zone_.to_utc(day * 86400 + interval.start * 60) * 1000;
      int64_t end = zone_.to_utc(day * 86400 + interval.end * 60) * 1000;
      total += std::max<int64_t>(0, std::min(end, to_ms) - std::max(start, from_ms));
    }
  }
  return total;
}

std::string BusinessCalendar::describe(const Day& day) const {
  if (day.empty()) return "nghỉ (closed)";
  std::string out;
  for (const Interval& interval : day) {
    out += (out.empty() ? "" : ", ") + clock(interval.start) + "–" + clock(interval.end);
  }
  return out;
}

std::string BusinessCalendar::week_summary() const {
  std::string out;
  for (std::size_t i = 0; i < weekly_.size(); ++i) {
    out += (out.empty() ? "" : "; ") + std::string(kDayNamesVi[i]) + ": " + describe(weekly_[i]);
  }
  return out;
}

sdk::Json BusinessCalendar::variables(int64_t utc_ms) const {
  int64_t today = local_day(utc_ms);
  sdk::Json out = {{"today", describe(hours_on(today))},
                   {"tomorrow", describe(hours_on(today + 1))},
                   {"week", week_summary()},
                   {"open_now", is_open(utc_ms) ? "đang mở cửa (open now)" : "đang đóng cửa (closed now)"}};
  if (auto next = next_open(utc_ms)) {
    int64_t seconds = floor_div(*next, 1000);
    int64_t local = seconds + zone_.offset_at(seconds);
    int64_t day = floor_div(local, 86400);
    int year = 0;
    unsigned month = 0, date = 0;
    civil_from_days(day, year, month, date);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s %s %02u/%02u", clock(static_cast<int>((local - day * 86400) / 60)).c_str(),
                  kDayNamesVi[static_cast<std::size_t>(weekday(day))], date, month);
    out["next_open"] = buffer;
  } else {
    out["next_open"] = "";
  }
  return out;
}

}  // namespace switchboard::calendar
