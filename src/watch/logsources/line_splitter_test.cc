#include "watch/logsources/line_splitter.h"

#include <gtest/gtest.h>

#include <vector>

namespace failsafe::watch {
namespace {

struct Collected {
  std::vector<std::string> lines;
  std::vector<bool> truncated;
};

void FeedAll(LineSplitter& s, std::string_view data, Collected& c) {
  s.Feed(data, [&](const SplitLine& l) {
    c.lines.emplace_back(l.text);
    c.truncated.push_back(l.truncated);
  });
}

TEST(LineSplitter, HoldsThePartialLineUntilItsNewline) {
  LineSplitter s(100);
  Collected c;
  FeedAll(s, "one\ntw", c);
  EXPECT_EQ(c.lines, (std::vector<std::string>{"one"}));
  EXPECT_EQ(s.held_bytes(), 2u);
  FeedAll(s, "o\r\nthree\n", c);
  EXPECT_EQ(c.lines, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(s.held_bytes(), 0u);
}

TEST(LineSplitter, CutsLongLinesAndSkipsTheirRest) {
  LineSplitter s(4);
  Collected c;
  FeedAll(s, "abcdefgh", c);  // cut at 4 before the newline arrives
  EXPECT_EQ(c.lines, (std::vector<std::string>{"abcd"}));
  EXPECT_TRUE(s.skipping());
  FeedAll(s, "ijk\nxy\n123456\nabcd\n", c);
  EXPECT_EQ(c.lines, (std::vector<std::string>{"abcd", "xy", "1234", "abcd"}));
  EXPECT_EQ(c.truncated, (std::vector<bool>{true, false, true, false}));
}

TEST(LineSplitter, FlushEmitsTheLastLineWithoutNewline) {
  LineSplitter s(100);
  Collected c;
  FeedAll(s, "a\nlast", c);
  s.Flush([&](const SplitLine& l) { c.lines.emplace_back(l.text); });
  EXPECT_EQ(c.lines, (std::vector<std::string>{"a", "last"}));
}

TEST(SanitizeUtf8, ReplacesInvalidSequencesOnly) {
  std::string out;
  EXPECT_EQ(AppendSanitizedUtf8("ok 中文 \xF0\x9F\x94\xA5", &out), 0u);
  EXPECT_EQ(out, "ok 中文 \xF0\x9F\x94\xA5");
  out.clear();
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate.
  EXPECT_EQ(AppendSanitizedUtf8("a\x80"
                                "b\xE4\xB8"
                                "c\xC0\xAF"
                                "d\xED\xA0\x80",
                                &out),
            8u);
  EXPECT_EQ(out,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD"
            "c\xEF\xBF\xBD\xEF\xBF\xBD"
            "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(MakeLogLine, CountsWhatItRepairs) {
  SourceStats stats;
  LogLine l = MakeLogLine("f.log", SplitLine{"bad\xFF", true}, stats);
  EXPECT_EQ(l.source, "f.log");
  EXPECT_EQ(l.text, "bad\xEF\xBF\xBD");
  EXPECT_EQ(stats.lines, 1u);
  EXPECT_EQ(stats.truncated, 1u);
  EXPECT_EQ(stats.invalid_utf8, 1u);
}

}  // namespace
}  // namespace failsafe::watch
