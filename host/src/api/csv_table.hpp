// RFC 4180 CSV for report exports, safe to open in a spreadsheet: a cell
// starting with = + - @ (or a tab / carriage return) is prefixed with ' so
// customer text like "=HYPERLINK(…)" is never run as a formula.
//
// Threads: one table per thread.
#pragma once

#include <string>
#include <vector>

namespace switchboard::api {

class CsvTable {
 public:
  void row(const std::vector<std::string>& cells);
  const std::string& text() const { return text_; }

  // One cell, quoted when needed and guarded against formula injection.
  static std::string cell(const std::string& value);

 private:
  std::string text_;
};

}  // namespace switchboard::api
