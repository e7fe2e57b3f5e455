// The environment that ${VAR} substitution in the config reads. A function
// rather than ::getenv directly, so tests and tools can supply their own
// variables without touching the process environment.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace switchboard::config {

// Returns the variable's value, or nullopt when it is not set.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (::getenv). Safe to call from any thread as long as
// nobody calls setenv concurrently.
Environment process_environment();

// A fixed set of variables; everything else is unset.
Environment environment_from(std::map<std::string, std::string> variables);

}  // namespace switchboard::config
