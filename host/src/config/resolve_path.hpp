// Relative paths in the config mean "relative to the config file", never to
// the working directory, so `switchboard run --config /etc/x/cfg.json`
// behaves the same from any folder.
#pragma once

#include <filesystem>

namespace switchboard::config {

// `path` against `base_dir` (normalised); an absolute path is returned as is.
std::filesystem::path resolve_path(const std::filesystem::path& base_dir, const std::filesystem::path& path);

}  // namespace switchboard::config
