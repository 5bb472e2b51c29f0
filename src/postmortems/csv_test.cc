#include "postmortems/csv.h"

#include <gtest/gtest.h>

namespace failsafe::postmortems {
namespace {

TEST(Csv, PlainFieldsStayBare) {
  EXPECT_EQ(CsvField("Jira"), "Jira");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("项目管理系统不可用"), "项目管理系统不可用");
  EXPECT_EQ(CsvField("12.5"), "12.5");
}

TEST(Csv, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
}

TEST(Csv, FormulaCellsAreDefused) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("+1 555"), "'+1 555");
  EXPECT_EQ(CsvField("-5"), "-5");  // a number stays a number
}

TEST(Csv, RecordsEndWithCrlf) {
  EXPECT_EQ(CsvRecord({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

}  // namespace
}  // namespace failsafe::postmortems
