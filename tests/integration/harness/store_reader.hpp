// Read-only SQL against the host's database file, the way an operator uses
// the sqlite3 CLI. Each query opens its own connection and closes it, so the
// tests never hold a read snapshot or a lock the host could wait on.
// Threads: any.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace switchboard::integration {

using Row = std::vector<std::string>;  // NULL reads as ""

class StoreReader {
 public:
  explicit StoreReader(std::filesystem::path file) : file_(std::move(file)) {}

  bool exists() const { return std::filesystem::exists(file_); }
  std::vector<Row> rows(const std::string& sql) const;
  // The first column of the first row, as an integer; 0 for no row or NULL.
  int64_t scalar(const std::string& sql) const;

 private:
  std::filesystem::path file_;
};

}  // namespace switchboard::integration
