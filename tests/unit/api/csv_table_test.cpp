// Report CSV: RFC 4180 quoting and the spreadsheet formula guard.
#include <doctest/doctest.h>

#include "api/csv_table.hpp"

using switchboard::api::CsvTable;

TEST_CASE("cells with commas, quotes or line breaks are quoted, quotes doubled") {
  CHECK(CsvTable::cell("plain") == "plain");
  CHECK(CsvTable::cell("a,b") == "\"a,b\"");
  CHECK(CsvTable::cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvTable::cell("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("cells a spreadsheet would run as formulas get a leading apostrophe") {
  CHECK(CsvTable::cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(CsvTable::cell("+84912") == "'+84912");
  CHECK(CsvTable::cell("-1") == "'-1");
  CHECK(CsvTable::cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(CsvTable::cell("\tx") == "'\tx");
  CHECK(CsvTable::cell("a=b") == "a=b");
}

TEST_CASE("rows end with CRLF") {
  CsvTable table;
  table.row({"section", "value"});
  table.row({"faq_misses", "=1+1"});
  CHECK(table.text() == "section,value\r\nfaq_misses,'=1+1\r\n");
}
