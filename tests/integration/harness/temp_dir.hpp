// A fresh folder under the system temp dir, removed with everything in it
// when the test is done (also when it fails).
#pragma once

#include <filesystem>
#include <string>

namespace switchboard::integration {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes text to path()/name and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

}  // namespace switchboard::integration
