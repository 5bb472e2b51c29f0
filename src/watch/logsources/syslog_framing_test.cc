#include "watch/logsources/syslog_framing.h"

#include <gtest/gtest.h>

#include <vector>

namespace failsafe::watch {
namespace {

struct Frames {
  std::vector<std::string> text;
  std::vector<bool> truncated;
  SyslogStreamDeframer Make(size_t max) {
    return SyslogStreamDeframer(max, [this](const SyslogFrame& f) {
      text.emplace_back(f.text);
      truncated.push_back(f.truncated);
    });
  }
};

TEST(SyslogDeframer, OctetCountingAndNewlinesMixed) {
  Frames f;
  auto d = f.Make(1024);
  d.Feed("11 <13>hello\nw<14>newline framed\r\n5 ab\ncd<15>x\n");
  EXPECT_EQ(f.text,
            (std::vector<std::string>{"<13>hello\nw", "<14>newline framed", "ab\ncd", "<15>x"}));
}

TEST(SyslogDeframer, SplitAcrossReadsAtEveryByte) {
  const std::string stream = "20 <13>1 - h a - - - ok<14>Nov 22 06:46:35 h a: b\n12 <13>1 - - - -";
  Frames whole;
  auto d1 = whole.Make(1024);
  d1.Feed(stream);
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    Frames parts;
    auto d2 = parts.Make(1024);
    d2.Feed(std::string_view(stream).substr(0, cut));
    d2.Feed(std::string_view(stream).substr(cut));
    EXPECT_EQ(parts.text, whole.text) << "cut at " << cut;
  }
  ASSERT_EQ(whole.text.size(), 3u);
  EXPECT_EQ(whole.text[0], "<13>1 - h a - - - ok");
  EXPECT_EQ(whole.text[1], "<14>Nov 22 06:46:35 h a: b");
  EXPECT_EQ(whole.text[2], "<13>1 - - - ");  // counted 12: the last '-' starts the next one
}

TEST(SyslogDeframer, DigitsThatAreNotACount) {
  Frames f;
  auto d = f.Make(1024);
  d.Feed("2026-11-22T06:46:35Z host app: msg\n");
  EXPECT_EQ(f.text, (std::vector<std::string>{"2026-11-22T06:46:35Z host app: msg"}));
}

TEST(SyslogDeframer, OversizeIsCutBothFramings) {
  Frames f;
  auto d = f.Make(4);
  d.Feed("10 0123456789abcdefgh\nxy\n");
  EXPECT_EQ(f.text, (std::vector<std::string>{"0123", "abcd", "xy"}));
  EXPECT_EQ(f.truncated, (std::vector<bool>{true, true, false}));
}

TEST(SyslogDeframer, HugeCountIsSkippedWithoutBuffering) {
  Frames f;
  auto d = f.Make(8);
  d.Feed("9999999999 ");
  for (int i = 0; i < 1000; ++i) d.Feed(std::string(1000, 'z'));
  EXPECT_EQ(f.text.size(), 0u);
  EXPECT_FALSE(d.Flush());  // the connection closed inside the counted message
  EXPECT_EQ(f.text.size(), 0u);
}

TEST(SyslogDeframer, FlushEmitsTheUnterminatedLastLine) {
  Frames f;
  auto d = f.Make(64);
  d.Feed("<13>no newline");
  EXPECT_TRUE(d.Flush());
  EXPECT_EQ(f.text, (std::vector<std::string>{"<13>no newline"}));
}

}  // namespace
}  // namespace failsafe::watch
