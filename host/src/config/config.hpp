// A complete, validated config: what the host runs. Produced only by
// validate_config (load_result.hpp) when there were no errors, so everything
// in it can be trusted: plugins exist, defaults are filled, paths absolute.
#pragma once

#include "config/inbox_config.hpp"
#include "config/pipeline_config.hpp"
#include "config/service_config.hpp"
#include "config/team_config.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace switchboard::config {

struct Config {
  std::filesystem::path file;
  ServiceConfig service;
  std::vector<InboxConfig> inboxes;
  std::map<std::string, PipelineConfig> pipelines;
  TeamConfig team;
};

}  // namespace switchboard::config
