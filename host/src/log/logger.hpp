// The host's log: one line per event on stderr, "time level [source] text".
// Any thread may log; lines never interleave.
#pragma once

#include <exception>
#include <string>
#include <string_view>

namespace switchboard::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

// Parses "debug" | "info" | "warn" | "error" | "off"; false when unknown.
bool parse_level(std::string_view text, Level& out);
void set_level(Level level);
// Sets the level from its name; false (and no change) when the name is unknown.
bool set_level(std::string_view name);
bool enabled(Level level);
void write(Level level, std::string_view source, std::string_view message);

// The text of a captured exception, for log lines ("unknown exception" when
// it is not a std::exception).
std::string describe(const std::exception_ptr& error);

inline void debug(std::string_view source, std::string_view m) { write(Level::Debug, source, m); }
inline void info(std::string_view source, std::string_view m) { write(Level::Info, source, m); }
inline void warn(std::string_view source, std::string_view m) { write(Level::Warn, source, m); }
inline void error(std::string_view source, std::string_view m) { write(Level::Error, source, m); }

}  // namespace switchboard::log
