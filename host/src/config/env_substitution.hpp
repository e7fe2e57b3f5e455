// ${VAR} and ${VAR:-default} in config strings. Runs after JSON parsing, so
// JSON escapes are already decoded and "$${" (a literal "${") is the only
// escape. Substituted text is not scanned again.
#pragma once

#include "config/diagnostics.hpp"
#include "config/environment.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace switchboard::config {

// The result of substituting one string.
struct EnvSubstitution {
  std::string text;                // the substituted text; the input unchanged on error
  bool from_environment = false;   // at least one ${...} was expanded (defaults count)
  bool single_expression = false;  // the input was exactly one ${...} with nothing around it
  std::string error;               // empty on success
};

// ${NAME} is the variable's value and an error when it is unset.
// ${NAME:-fallback} is the value, or fallback when unset or empty (as in sh).
// NAME is [A-Za-z_][A-Za-z0-9_]*; fallback runs to the first '}'.
EnvSubstitution substitute_env(const std::string& text, const Environment& env);

// Which strings of a document came from the environment, by JSON pointer.
// Secret fields must (rule: never literal in the file), and single
// expressions may be coerced to the type a plugin field declares.
struct EnvOrigins {
  std::map<std::string, bool> strings;  // pointer -> the string was a single ${...}
  std::set<std::string> unresolved;     // pointers whose substitution failed (and was reported)

  bool from_environment(const std::string& pointer) const { return strings.count(pointer) != 0; }
  bool single_expression(const std::string& pointer) const;
};

// Substitutes every string value (not object keys) in `document` in place and
// reports each failure at its JSON pointer.
EnvOrigins substitute_env_in(nlohmann::json& document, const Environment& env, Diagnostics& errors);

}  // namespace switchboard::config
