// A small TZif reader (RFC 8536): header, transition times, type indices and
// ttinfo records; leap seconds and the POSIX footer are not needed here.
#include "switchboard/calendar/time_zone.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace switchboard::calendar {
namespace {

struct Counts {
  uint32_t isut, isstd, leap, time, type, chars;
};

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
int64_t be64(const unsigned char* p) { return static_cast<int64_t>((uint64_t{be32(p)} << 32) | uint64_t{be32(p + 4)}); }

Counts read_counts(const unsigned char* header) {
  const unsigned char* c = header + 20;
  return Counts{be32(c), be32(c + 4), be32(c + 8), be32(c + 12), be32(c + 16), be32(c + 20)};
}

std::size_t block_size(const Counts& n, std::size_t time_size) {
  return n.time * time_size + n.time + n.type * 6 + n.chars + n.leap * (time_size + 4) + n.isstd + n.isut;
}

bool plausible_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '+' || c == '-';
  });
}

}  // namespace

TimeZone TimeZone::load(const std::string& name) {
  if (!plausible_name(name)) throw TimeZoneError("unknown time zone '" + name + "'");
  const char* dir = std::getenv("TZDIR");
  return load_file(std::filesystem::path(dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo") / name, name);
}

TimeZone TimeZone::fixed(int32_t offset_seconds, const std::string& name) {
  TimeZone zone;
  zone.name_ = name;
  zone.initial_offset_ = offset_seconds;
  return zone;
}

TimeZone TimeZone::load_file(const std::filesystem::path& file, const std::string& name) {
  std::ifstream in(file, std::ios::binary);
  std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() < 44 || data[0] != 'T' || data[1] != 'Z' || data[2] != 'i' || data[3] != 'f') {
    throw TimeZoneError("unknown time zone '" + name + "' (no TZif file at " + file.string() + ")");
  }
  Counts n = read_counts(data.data());
  std::size_t offset = 44;
  std::size_t time_size = 4;
  if (data[4] >= '2') {  // skip the v1 block; the v2 header and 64-bit data follow
    offset += block_size(n, 4);
    if (data.size() < offset + 44) throw TimeZoneError("time zone '" + name + "': truncated TZif file");
    n = read_counts(data.data() + offset);
    offset += 44;
    time_size = 8;
  }
  if (data.size() < offset + block_size(n, time_size) || n.type == 0) {
    throw TimeZoneError("time zone '" + name + "': truncated TZif file");
  }
  const unsigned char* times = data.data() + offset;
  const unsigned char* indices = times + n.time * time_size;
  const unsigned char* types = indices + n.time;
  auto type_offset = [&](std::size_t type) { return static_cast<int32_t>(be32(types + 6 * type)); };
  TimeZone zone;
  zone.name_ = name;
  zone.initial_offset_ = type_offset(0);
  for (uint32_t i = 0; i < n.time; ++i) {
    int64_t at = time_size == 8 ? be64(times + 8 * i) : static_cast<int32_t>(be32(times + 4 * i));
    std::size_t type = std::min<std::size_t>(indices[i], n.type - 1);
    zone.transitions_.push_back(at);
    zone.offsets_.push_back(type_offset(type));
  }
  return zone;
}

int32_t TimeZone::offset_at(int64_t utc_seconds) const {
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[static_cast<std::size_t>(it - transitions_.begin() - 1)];
}

int64_t TimeZone::to_utc(int64_t local_seconds) const {
  // Two rounds settle on the offset in force at the resulting instant.
  int64_t guess = local_seconds - offset_at(local_seconds);
  return local_seconds - offset_at(guess);
}

}  // namespace switchboard::calendar
