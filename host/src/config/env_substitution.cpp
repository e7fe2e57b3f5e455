// ${VAR} substitution over strings and over whole documents.
#include "config/env_substitution.hpp"

#include <cctype>
#include <string_view>
#include <vector>

namespace switchboard::config {

namespace {

bool valid_variable_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// Expands the text between "${" and "}" onto `out`; returns an error or "".
std::string expand(const std::string& expression, const Environment& env, std::string& out) {
  auto separator = expression.find(":-");
  std::string name = expression.substr(0, separator);
  if (!valid_variable_name(name)) {
    return "'${" + expression + "}' is not a valid variable reference (names use letters, digits and '_')";
  }
  std::optional<std::string> value = env(name);
  if (separator == std::string::npos) {
    if (!value)
      return "environment variable " + name + " is not set (write ${" + name + ":-default} to give a default)";
    out += *value;
    return "";
  }
  out += value && !value->empty() ? *value : expression.substr(separator + 2);
  return "";
}

std::string join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& part : parts) joined += (joined.empty() ? "" : "; ") + part;
  return joined;
}

void substitute_value(nlohmann::json& value, const JsonPointer& at, const Environment& env, EnvOrigins& origins,
                      Diagnostics& errors) {
  if (value.is_object()) {
    for (auto& item : value.items()) substitute_value(item.value(), at / item.key(), env, origins, errors);
    return;
  }
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) substitute_value(value[i], at / i, env, origins, errors);
    return;
  }
  if (!value.is_string()) return;

  EnvSubstitution result = substitute_env(value.get_ref<const std::string&>(), env);
  std::string pointer = at.to_string();
  if (!result.error.empty()) {
    errors.add(at, result.error);
    origins.unresolved.insert(pointer);
  }
  // A failed reference still counts as from the environment: it was written
  // as one, so it is no "secret written in the file".
  if (result.from_environment) origins.strings[pointer] = result.single_expression;
  value = std::move(result.text);
}

}  // namespace

EnvSubstitution substitute_env(const std::string& text, const Environment& env) {
  EnvSubstitution result;
  std::vector<std::string> errors;
  int expressions = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      result.text += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      result.text += text[i++];
      continue;
    }
    std::size_t close = text.find('}', i + 2);
    if (close == std::string::npos) {
      errors.push_back("unterminated '${' (missing '}'; write '$${' for a literal '${')");
      break;
    }
    std::string error = expand(text.substr(i + 2, close - i - 2), env, result.text);
    if (!error.empty()) errors.push_back(error);
    ++expressions;
    i = close + 1;
  }
  result.from_environment = expressions > 0;
  result.single_expression = expressions == 1 && text.rfind("${", 0) == 0 && text.find('}') + 1 == text.size();
  if (!errors.empty()) {
    result.error = join(errors);
    result.text = text;
  }
  return result;
}

bool EnvOrigins::single_expression(const std::string& pointer) const {
  auto it = strings.find(pointer);
  return it != strings.end() && it->second;
}

EnvOrigins substitute_env_in(nlohmann::json& document, const Environment& env, Diagnostics& errors) {
  EnvOrigins origins;
  substitute_value(document, JsonPointer(), env, origins, errors);
  return origins;
}

}  // namespace switchboard::config
