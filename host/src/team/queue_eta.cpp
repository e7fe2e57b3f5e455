// Wording of the waiting-time estimate.
#include "team/queue_eta.hpp"

#include <algorithm>

namespace switchboard::team {
namespace {

std::string minutes_text(int64_t minutes) {
  if (minutes >= 120) {
    std::string hours = std::to_string(minutes / 60);
    return "khoảng " + hours + " giờ (about " + hours + " hours)";
  }
  std::string m = std::to_string(minutes);
  return "khoảng " + m + " phút (about " + m + " min)";
}

}  // namespace

std::string queue_eta(const config::DepartmentConfig& department, std::optional<store::Millis> recent_first_response,
                      store::Millis now) {
  if (!department.is_open(now)) {
    std::string opens = department.calendar->variables(now).value("next_open", "");
    if (opens.empty()) return "ngoài giờ làm việc (outside working hours)";
    return "ngoài giờ làm việc, chúng tôi sẽ trả lời lúc " + opens + " (outside working hours; we reply from then)";
  }
  constexpr store::Millis kMinute = 60 * 1000;
  int64_t minutes = recent_first_response ? (*recent_first_response + kMinute - 1) / kMinute : department.eta_minutes;
  return minutes_text(std::max<int64_t>(minutes, 1));
}

}  // namespace switchboard::team
