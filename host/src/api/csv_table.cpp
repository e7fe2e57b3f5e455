// CSV escaping with the spreadsheet formula guard.
#include "api/csv_table.hpp"

namespace switchboard::api {

std::string CsvTable::cell(const std::string& value) {
  std::string guarded = value;
  if (!guarded.empty() && std::string("=+-@\t\r").find(guarded.front()) != std::string::npos) {
    guarded.insert(guarded.begin(), '\'');
  }
  if (guarded.find_first_of(",\"\r\n") == std::string::npos) return guarded;
  std::string quoted = "\"";
  for (char ch : guarded) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

void CsvTable::row(const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) text_ += ',';
    text_ += cell(cells[i]);
  }
  text_ += "\r\n";
}

}  // namespace switchboard::api
