// Channel JSON carries ids and times as numbers or as digit strings (Zalo and
// Messenger both do): one reading of either, for the event fields the host
// interprets.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

namespace switchboard::processing {

// A non-negative integer given as a JSON integer or a string of up to 18
// digits; nullopt for anything else (wrong types read as absent).
std::optional<int64_t> json_number(const nlohmann::json& value);

}  // namespace switchboard::processing
