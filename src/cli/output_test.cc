#include "cli/output.h"

#include <gtest/gtest.h>

namespace failsafe::cli {
namespace {

TEST(DisplayWidthTest, CountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("admin"), 5u);
  EXPECT_EQ(DisplayWidth("李伟"), 4u);
  EXPECT_EQ(DisplayWidth("一级 P1"), 7u);
  EXPECT_EQ(DisplayWidth("应急预案！"), 10u);  // fullwidth exclamation mark
  EXPECT_EQ(DisplayWidth("한국어"), 6u);
  EXPECT_EQ(DisplayWidth("café"), 4u);
  EXPECT_EQ(DisplayWidth("cafe\xcc\x81"), 4u);  // e + combining acute accent
  EXPECT_EQ(DisplayWidth("\xff"), 1u);          // invalid byte, shown as U+FFFD
}

TEST(SanitizeTest, ControlsAndInvalidBytesAreNeutralised) {
  EXPECT_EQ(SanitizeForTerminal("a\x1b[31mred"), "a [31mred");
  EXPECT_EQ(SanitizeForTerminal("line1\nline2\ttab\r"), "line1 line2 tab ");
  EXPECT_EQ(SanitizeForTerminal("ok\xc2\x9b"), "ok ");                     // C1 CSI
  EXPECT_EQ(SanitizeForTerminal("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");  // overlong '/'
  EXPECT_EQ(SanitizeForTerminal("李伟"), "李伟");
}

TEST(TableTest, AlignsColumnsByDisplayWidth) {
  Table t({"ID", "NAME", "ROLE"});
  t.AddRow({"1", "admin", "admin"});
  t.AddRow({"22", "李伟", "responder"});
  t.AddRow({"3", "王小明同学", "viewer"});
  EXPECT_EQ(t.Render(),
            "ID  NAME        ROLE\n"
            "1   admin       admin\n"
            "22  李伟        responder\n"
            "3   王小明同学  viewer\n");
}

TEST(TableTest, NoTrailingSpacesAndMissingCells) {
  Table t({"A", "B"});
  t.AddRow({"x"});
  t.AddRow({"long value", "", "dropped"});
  EXPECT_EQ(t.Render(),
            "A           B\n"
            "x\n"
            "long value\n");
  EXPECT_EQ(t.rows(), 2u);
}

TEST(TableTest, CellsAreSanitised) {
  Table t({"NAME"});
  t.AddRow({"evil\x1b]0;title\x07"});
  EXPECT_EQ(t.Render(), "NAME\nevil ]0;title\n");
}

TEST(PrettyJsonTest, IndentsAndKeepsOrder) {
  boost::json::value v = {{"b", 1}, {"a", boost::json::array{true, nullptr}}, {"e", nullptr}};
  EXPECT_EQ(PrettyJson(v),
            "{\n"
            "  \"b\": 1,\n"
            "  \"a\": [\n"
            "    true,\n"
            "    null\n"
            "  ],\n"
            "  \"e\": null\n"
            "}\n");
  EXPECT_EQ(PrettyJson(boost::json::array{}), "[]\n");
  EXPECT_EQ(PrettyJson(boost::json::object{}), "{}\n");
  EXPECT_EQ(PrettyJson(boost::json::string("李\"")), "\"李\\\"\"\n");
}

TEST(CellTextTest, RendersScalars) {
  boost::json::object o{{"s", "text"}, {"n", 42},      {"b", true},
                        {"f", false},  {"z", nullptr}, {"o", {{"k", 1}}}};
  EXPECT_EQ(CellText(o, "s"), "text");
  EXPECT_EQ(CellText(o, "n"), "42");
  EXPECT_EQ(CellText(o, "b"), "yes");
  EXPECT_EQ(CellText(o, "f"), "no");
  EXPECT_EQ(CellText(o, "z"), "-");
  EXPECT_EQ(CellText(o, "missing"), "-");
  EXPECT_EQ(CellText(o, "o"), "{\"k\":1}");
}

TEST(TimeCellTest, Rfc3339AndMillis) {
  boost::json::object o{{"s", "2026-11-22T08:30:00.123Z"},
                        {"ms", 1'700'000'000'000},
                        {"off", "2026-11-22T08:30:00+08:00"},
                        {"none", nullptr}};
  EXPECT_EQ(TimeCell(o, "s"), "2026-11-22 08:30:00Z");
  EXPECT_EQ(TimeCell(o, "ms"), "2023-11-14 22:13:20Z");
  EXPECT_EQ(TimeCell(o, "off"), "2026-11-22 08:30:00+08:00");
  EXPECT_EQ(TimeCell(o, "none"), "-");
}

}  // namespace
}  // namespace failsafe::cli
