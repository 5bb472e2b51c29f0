#include "watch/logs/line_time.h"

#include <gtest/gtest.h>

namespace failsafe::watch::logs {
namespace {

TEST(LineTime, SyslogWithInferredYear) {
  YearGuess year(2026);
  auto t = ParseLineStartTime("Nov 22 06:42:34 host sshd[1]: x", year);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ms, CivilToMs(2026, 11, 22, 6, 42, 34, 0));
  EXPECT_EQ(t->begin, 0u);
  EXPECT_EQ(t->end, 15u);
  auto single_digit = ParseLineStartTime("Dec  2 00:00:01 h a: b", year);
  ASSERT_TRUE(single_digit);
  EXPECT_EQ(single_digit->ms, CivilToMs(2026, 12, 2, 0, 0, 1, 0));
  // December -> January: the year turns.
  auto next = ParseLineStartTime("Jan  1 00:00:00 h a: b", year);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->ms, CivilToMs(2027, 1, 1, 0, 0, 0, 0));
}

TEST(LineTime, IsoAndRfc5424AndApache) {
  YearGuess year(1970);
  auto iso = ParseLineStartTime("2026-11-22T06:42:34.250+08:00 x", year);
  ASSERT_TRUE(iso);
  EXPECT_EQ(iso->ms, CivilToMs(2026, 11, 21, 22, 42, 34, 250));
  EXPECT_EQ(year.year(), 2026);
  auto rfc5424 = ParseLineStartTime("<34>1 2026-11-22T06:42:34Z host app - - - msg", year);
  ASSERT_TRUE(rfc5424);
  EXPECT_EQ(rfc5424->ms, CivilToMs(2026, 11, 22, 6, 42, 34, 0));
  auto space = ParseLineStartTime("2026-11-22 06:42:34,5 INFO", year);
  ASSERT_TRUE(space);
  EXPECT_EQ(space->ms, CivilToMs(2026, 11, 22, 6, 42, 34, 500));
  auto apache = ParseLineStartTime("[22/Nov/2026:06:42:34 +0100] GET /", year);
  ASSERT_TRUE(apache);
  EXPECT_EQ(apache->ms, CivilToMs(2026, 11, 22, 5, 42, 34, 0));
}

TEST(LineTime, NotATime) {
  YearGuess year(2026);
  EXPECT_FALSE(ParseLineStartTime("", year));
  EXPECT_FALSE(ParseLineStartTime("Foo 22 06:42:34 x", year));
  EXPECT_FALSE(ParseLineStartTime("Nov 22 26:42:34 x", year));
  EXPECT_FALSE(ParseLineStartTime("2026-13-22T06:42:34", year));
  EXPECT_FALSE(ParseLineStartTime("<999999", year));
}

TEST(LineTime, CivilRoundTrip) {
  EXPECT_EQ(CivilToMs(1970, 1, 1, 0, 0, 0, 0), 0);
  EXPECT_EQ(CivilToMs(2024, 2, 29, 0, 0, 0, 0), 1709164800000);
  EXPECT_EQ(YearOf(1709164800000), 2024);
  EXPECT_EQ(YearOf(-1), 1969);
}

TEST(LineTime, Fail2banDatePatterns) {
  YearGuess year(2026);
  auto p = DatePattern::Compile("^%%Y-%%m-%%d %%H:%%M:%%S");
  ASSERT_FALSE(p);  // %% is the INI escape, already undone by the filter reader
  auto q = DatePattern::Compile(R"(^\[%d/%b/%Y %H:%M:%S\])");
  ASSERT_TRUE(q) << q.error().ToString();
  auto t = (*q)->Find("[22/Nov/2026 06:42:34] x", year);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ms, CivilToMs(2026, 11, 22, 6, 42, 34, 0));
  EXPECT_EQ(t->end, 22u);
  auto epoch = DatePattern::Compile("^%s");
  ASSERT_TRUE(epoch);
  EXPECT_EQ((*epoch)->Find("1700000000 x", year)->ms, 1700000000000);
  auto in_5424 = DatePattern::Compile(R"(^<\d+>\d+\s+{DATE})");
  ASSERT_TRUE(in_5424);
  EXPECT_EQ((*in_5424)->Find("<34>1 2026-11-22T06:42:34Z h", year)->ms,
            CivilToMs(2026, 11, 22, 6, 42, 34, 0));
  EXPECT_FALSE(DatePattern::Compile("%Q"));
  auto default_start = DatePattern::Compile("{^LN-BEG}");
  ASSERT_TRUE(default_start);
  EXPECT_TRUE((*default_start)->Find("Nov 22 06:42:34 h", year));
}

// The default pattern remembers its last answer; it must give what a fresh parse gives, and
// leave the year where a fresh parse leaves it, line after line.
TEST(LineTime, RememberedAnswerEqualsAFreshParse) {
  auto cached = DatePattern::Compile("{^LN-BEG}");
  ASSERT_TRUE(cached);
  YearGuess year_a(2025), year_b(2025);
  const std::vector<std::string> lines = {
      "Dec 31 23:59:59 h a",
      "Dec 31 23:59:59 h b",
      "Jan  1 00:00:00 h c",
      "Jan  1 00:00:00 h d",
      "Dec 31 23:59:59 h e",
      "Dec 31 23:59:59 h e",
      "Jan  1 00:00:00.5 h f",
      "Jan  1 00:00:00.25 h",
      "Jan  1 00:00:00",
      "Jan  1 00:00:00",
      "Jan  1 00:00:00 ",
      "2026-01-01T00:00:00Z x",
      "2026-01-01T00:00:00+08:00 x",
      "2026-01-01T00:00:00+0",
      "2026-01-01T00:00:00+08:00x",
      "[01/Jan/2026:00:00:00 +0000] x",
      "[01/Jan/2026:00:00:00 +0100] x",
      "[01/Jan/2026:00:00:00] x",
      "not a date",
      "Jan  1 00:00:00 h g",
      "<13>Jan  1 00:00:00 h",
      "<13>Jan  1 00:00:00 h",
      "Jan  1 00:00:00 h h",
  };
  for (const auto& line : lines) {
    const auto a = (*cached)->Find(line, year_a);
    const auto b = ParseLineStartTime(line, year_b);
    ASSERT_EQ(a.has_value(), b.has_value()) << line;
    if (a) {
      EXPECT_EQ(a->ms, b->ms) << line;
      EXPECT_EQ(a->begin, b->begin) << line;
      EXPECT_EQ(a->end, b->end) << line;
    }
    EXPECT_TRUE(year_a == year_b) << line;
  }
}

}  // namespace
}  // namespace failsafe::watch::logs
