// The {eta} of a handoff message: Vietnamese first, then English, from the
// department's recent first-response times (or its configured default), or
// when it opens again if it is closed now.
//
// Pure function; any thread.
#pragma once

#include <optional>
#include <string>

#include "config/team_config.hpp"
#include "store/store.hpp"

namespace switchboard::team {

std::string queue_eta(const config::DepartmentConfig& department, std::optional<store::Millis> recent_first_response,
                      store::Millis now);

}  // namespace switchboard::team
