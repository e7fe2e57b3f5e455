// Resolution of config paths against the config file's folder.
#include "config/resolve_path.hpp"

namespace switchboard::config {

std::filesystem::path resolve_path(const std::filesystem::path& base_dir, const std::filesystem::path& path) {
  if (path.is_absolute()) return path;
  return (base_dir / path).lexically_normal();
}

}  // namespace switchboard::config
