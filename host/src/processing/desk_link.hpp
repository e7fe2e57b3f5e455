// What message processing asks of the agents' desk (team::Desk implements
// it): the {position} and {eta} of a handoff message, whether a rating is
// awaited after resolve, and erasing a contact at the channel's request
// (Zalo user_withdraw). Called from the scheduler's worker threads.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace switchboard::processing {

// Where a conversation joining a queue stands.
struct QueueOutlook {
  int64_t position = 1;  // 1: next
  std::string eta;       // "khoảng 10 phút (about 10 min)", or when the department opens
};

// A rating is awaited: its department and the thanks to send ("" for none).
struct AwaitedRating {
  std::string department;
  std::string thanks;
};

class DeskLink {
 public:
  virtual ~DeskLink() = default;

  // For a conversation about to join `queue` at `priority`.
  virtual QueueOutlook queue_outlook(const std::string& queue, int32_t priority) = 0;
  // nullopt when the conversation awaits no rating; the thanks is rendered
  // over `message`.
  virtual std::optional<AwaitedRating> awaited_rating(store::Id conversation_id, const nlohmann::json& message) = 0;
  // The privacy erase (docs/api.md) of the contact behind a channel
  // identity, audited as done by "system". False when nobody has it.
  virtual bool erase_identity(const std::string& inbox, const std::string& external_id) = 0;
};

}  // namespace switchboard::processing
