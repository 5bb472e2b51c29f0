#include "base/clock.h"

#include <gtest/gtest.h>

namespace failsafe {
namespace {

TEST(Rfc3339, FormatsUtcWithMillis) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1'795'000'000'123), "2026-11-18T11:06:40.123Z");
}

TEST(Rfc3339, FormatsLeapDaysCenturiesAndTimesBeforeTheEpoch) {
  EXPECT_EQ(FormatRfc3339(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(4'107'542'399'999), "2100-02-28T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
  // Round trip over a spread of instants, checked against the parser (timegm based).
  for (int64_t t = -86'400'000LL * 800; t < 86'400'000LL * 40'000;
       t += 86'400'000LL * 13 + 3'723'456) {
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(t)), t) << t;
  }
}

TEST(Rfc3339, ParsesWhatItFormatsAndOffsets) {
  EXPECT_EQ(ParseRfc3339("2026-11-18T11:06:40.123Z"), 1'795'000'000'123);
  EXPECT_EQ(ParseRfc3339("2026-11-18T19:06:40+08:00"), 1'795'000'000'000);
  EXPECT_EQ(ParseRfc3339("2026-11-18T11:06:40.5Z"), 1'795'000'000'500);
}

TEST(Rfc3339, RejectsMalformed) {
  EXPECT_FALSE(ParseRfc3339(""));
  EXPECT_FALSE(ParseRfc3339("2026-13-18T10:26:40Z"));
  EXPECT_FALSE(ParseRfc3339("2026-11-18T11:06:40"));
  EXPECT_FALSE(ParseRfc3339("2026-11-18T11:06:40Zjunk"));
  EXPECT_FALSE(ParseRfc3339("2026-11-18T11:06:40+0800"));
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(1000);
  EXPECT_EQ(clock.NowMillis(), 1000);
  clock.Advance(Millis(250));
  EXPECT_EQ(clock.NowMillis(), 1250);
}

}  // namespace
}  // namespace failsafe
