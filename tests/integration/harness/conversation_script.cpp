#include "harness/conversation_script.hpp"

#include <cstdio>

namespace switchboard::integration {

namespace {

std::string describe(const Delivery& delivery) {
  return delivery.in_reply_to + " (delivery #" + std::to_string(delivery.seq) + ")";
}

// Walks each user's deliveries (those `pick` accepts) in arrival order and
// reports where `in_order(previous, current)` fails.
template <typename Pick, typename InOrder>
std::vector<std::string> violations(const std::vector<Delivery>& deliveries, Pick pick, InOrder in_order) {
  std::vector<std::string> found;
  std::map<int, MessageRef> last;
  std::map<int, const Delivery*> last_delivery;
  for (const Delivery& delivery : deliveries) {
    MessageRef ref;
    if (!pick(delivery) || !parse_message_id(delivery.in_reply_to, ref)) continue;
    auto previous = last.find(ref.user);
    if (previous != last.end() && !in_order(previous->second.number, ref.number)) {
      found.push_back(describe(*last_delivery[ref.user]) + " then " + describe(delivery));
    }
    last[ref.user] = ref;
    last_delivery[ref.user] = &delivery;
  }
  return found;
}

}  // namespace

WebhookMessage numbered_message(const std::string& tag, MessageRef ref) {
  std::string user = tag + "-u" + std::to_string(ref.user);
  return {user + "-m" + std::to_string(ref.number), user, "User " + std::to_string(ref.user),
          "u" + std::to_string(ref.user) + " #" + std::to_string(ref.number)};
}

bool parse_message_id(const std::string& message_id, MessageRef& ref) {
  std::size_t u = message_id.rfind("-u");
  std::size_t m = message_id.rfind("-m");
  if (u == std::string::npos || m == std::string::npos || m < u) return false;
  char rest = 0;
  return std::sscanf(message_id.c_str() + u, "-u%d-m%d%c", &ref.user, &ref.number, &rest) == 2;
}

std::map<std::string, std::vector<Delivery>> acknowledged_by_message(const std::vector<Delivery>& deliveries) {
  std::map<std::string, std::vector<Delivery>> by_message;
  for (const Delivery& delivery : deliveries) {
    if (delivery.acknowledged()) by_message[delivery.in_reply_to].push_back(delivery);
  }
  return by_message;
}

std::vector<std::string> unanswered(const std::vector<Delivery>& deliveries, const std::set<std::string>& expected) {
  auto answered = acknowledged_by_message(deliveries);
  std::vector<std::string> missing;
  for (const auto& id : expected) {
    if (!answered.count(id)) missing.push_back(id);
  }
  return missing;
}

int repeated_deliveries(const std::vector<Delivery>& deliveries) {
  int repeats = 0;
  for (const auto& [id, replies] : acknowledged_by_message(deliveries)) repeats += static_cast<int>(replies.size()) - 1;
  return repeats;
}

std::vector<std::string> first_reply_order_violations(const std::vector<Delivery>& deliveries) {
  std::set<std::string> seen;
  std::vector<Delivery> firsts;
  for (const Delivery& delivery : deliveries) {
    if (delivery.acknowledged() && seen.insert(delivery.in_reply_to).second) firsts.push_back(delivery);
  }
  return violations(
      firsts, [](const Delivery&) { return true; }, [](int previous, int current) { return current > previous; });
}

std::vector<std::string> attempt_order_violations(const std::vector<Delivery>& deliveries) {
  return violations(
      deliveries, [](const Delivery&) { return true; }, [](int previous, int current) { return current >= previous; });
}

}  // namespace switchboard::integration
