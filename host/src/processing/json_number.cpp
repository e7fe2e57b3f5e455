#include "processing/json_number.hpp"

#include <string>

namespace switchboard::processing {

std::optional<int64_t> json_number(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  if (s.empty() || s.size() >= 19 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(s);
}

}  // namespace switchboard::processing
