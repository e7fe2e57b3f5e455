// Validation of the inboxes section.
#include "config/inbox_config.hpp"

#include "config/section_schema.hpp"

#include <map>

namespace switchboard::config {

namespace {

// First pointer at which each inbox id was used, for duplicate messages.
using SeenIds = std::map<std::string, std::string>;

void check_id(const nlohmann::json& inbox, const JsonPointer& at, SeenIds& seen, Diagnostics& errors) {
  auto id = inbox.find("id");
  if (id == inbox.end() || !id->is_string()) return;  // the section schema reported it
  const JsonPointer id_at = at / "id";
  if (!valid_inbox_id(id->get<std::string>())) {
    errors.add(id_at,
               "must be 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit "
               "(it is part of the webhook URL /webhooks/{id})");
    return;
  }
  auto [first, inserted] = seen.emplace(id->get<std::string>(), id_at.to_string());
  if (!inserted) errors.add(id_at, "duplicate inbox id '" + first->first + "' (first used at " + first->second + ")");
}

std::string names_of(const std::set<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

void check_pipeline(const nlohmann::json& inbox, const JsonPointer& at, const std::set<std::string>& pipeline_names,
                    Diagnostics& errors) {
  auto pipeline = inbox.find("pipeline");
  if (pipeline == inbox.end() || !pipeline->is_string()) return;  // the section schema reported it
  if (pipeline_names.count(pipeline->get<std::string>()) != 0) return;
  std::string known = pipeline_names.empty() ? "none are defined" : "defined: " + names_of(pipeline_names);
  errors.add(at / "pipeline", "no pipeline named '" + pipeline->get<std::string>() + "' in /pipelines (" + known + ")");
}

std::optional<PluginBlock> read_channel(const nlohmann::json& inbox, const JsonPointer& at,
                                        const PluginCatalog& plugins, const ConfigDocument& doc, Diagnostics& errors) {
  auto channel = inbox.find("channel");
  if (channel == inbox.end() || !channel->is_object()) return std::nullopt;  // the section schema reported it
  nlohmann::json block = *channel;
  const JsonPointer channel_at = at / "channel";
  apply_section_schema(Section::Channel, block, channel_at, errors);
  return read_plugin_block(block, channel_at, SB_KIND_CHANNEL, plugins, doc, errors);
}

}  // namespace

bool valid_inbox_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '-'))) return false;
  }
  return true;
}

std::vector<InboxConfig> read_inboxes(const nlohmann::json& inboxes, const std::set<std::string>& pipeline_names,
                                      const PluginCatalog& plugins, const ConfigDocument& doc, Diagnostics& errors) {
  std::vector<InboxConfig> result;
  SeenIds seen;
  for (std::size_t i = 0; i < inboxes.size(); ++i) {
    const JsonPointer at = JsonPointer("/inboxes") / i;
    nlohmann::json inbox = inboxes[i];
    if (!apply_section_schema(Section::Inbox, inbox, at, errors)) continue;
    check_id(inbox, at, seen, errors);
    std::optional<PluginBlock> channel = read_channel(inbox, at, plugins, doc, errors);
    check_pipeline(inbox, at, pipeline_names, errors);
    if (!channel) continue;
    result.push_back(InboxConfig{inbox.value("id", ""), std::move(*channel), inbox.value("pipeline", "")});
  }
  return result;
}

}  // namespace switchboard::config
