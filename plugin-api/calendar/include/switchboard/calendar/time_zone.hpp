// UTC offsets of an IANA time zone, read from the system's TZif files
// (/usr/share/zoneinfo, or $TZDIR) — no process-wide TZ, so any number of
// zones can be used at once from any thread.
//
// Reads the 64-bit transition table of TZif v2+ files (v1 when that is all
// there is). After the last transition the last offset holds: right for
// zones without daylight saving (Asia/Ho_Chi_Minh, Asia/Bangkok…); for
// zones with DST, times past the table's end (2037) keep the last offset.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace switchboard::calendar {

class TimeZoneError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TimeZone {
 public:
  // Throws TimeZoneError for an unknown or unreadable zone.
  static TimeZone load(const std::string& name);
  static TimeZone load_file(const std::filesystem::path& file, const std::string& name);
  static TimeZone fixed(int32_t offset_seconds, const std::string& name);

  // Seconds east of UTC in force at `utc_seconds`.
  int32_t offset_at(int64_t utc_seconds) const;
  // UTC seconds of a local wall-clock time (the offset in force then).
  int64_t to_utc(int64_t local_seconds) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::vector<int64_t> transitions_;  // UTC seconds, ascending
  std::vector<int32_t> offsets_;      // offset after each transition
  int32_t initial_offset_ = 0;        // before the first transition
};

}  // namespace switchboard::calendar
