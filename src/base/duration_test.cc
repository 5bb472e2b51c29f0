#include "base/duration.h"

#include <gtest/gtest.h>

namespace failsafe {
namespace {

using std::chrono::milliseconds;

TEST(Duration, ParsesUnitsAndCompounds) {
  EXPECT_EQ(*ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(*ParseDuration("30s"), milliseconds(30'000));
  EXPECT_EQ(*ParseDuration("4h"), milliseconds(4 * 3'600'000));
  EXPECT_EQ(*ParseDuration("1h30m"), milliseconds(5'400'000));
  EXPECT_EQ(*ParseDuration("7d"), milliseconds(7 * 86'400'000LL));
}

TEST(Duration, RejectsGarbageWithAReason) {
  auto r = ParseDuration("4 hours");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ParseDuration(""));
  EXPECT_FALSE(ParseDuration("h"));
  EXPECT_FALSE(ParseDuration("-5s"));
  EXPECT_FALSE(ParseDuration("10y"));
  EXPECT_FALSE(ParseDuration("99999999999999999999d"));
}

TEST(Duration, FormatsShortestSpelling) {
  EXPECT_EQ(FormatDuration(milliseconds(5'400'000)), "1h30m");
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1s500ms");
}

}  // namespace
}  // namespace failsafe
