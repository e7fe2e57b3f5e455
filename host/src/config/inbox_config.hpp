// The "inboxes" section: each inbox is one channel instance feeding one
// pipeline; its id is the {inbox} of /webhooks/{inbox}.
#pragma once

#include "config/config_document.hpp"
#include "config/diagnostics.hpp"
#include "config/plugin_block.hpp"
#include "config/plugin_catalog.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace switchboard::config {

struct InboxConfig {
  std::string id;
  PluginBlock channel;
  std::string pipeline;
};

// True when `id` matches [a-z0-9][a-z0-9_-]{0,63}: safe in a URL path as is.
bool valid_inbox_id(const std::string& id);

// Reads the "inboxes" array: ids valid and unique, channel plugins of kind
// channel, every pipeline one of `pipeline_names`.
std::vector<InboxConfig> read_inboxes(const nlohmann::json& inboxes, const std::set<std::string>& pipeline_names,
                                      const PluginCatalog& plugins, const ConfigDocument& doc, Diagnostics& errors);

}  // namespace switchboard::config
