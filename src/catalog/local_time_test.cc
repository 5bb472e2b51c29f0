#include "catalog/local_time.h"

#include <gtest/gtest.h>

namespace failsafe::catalog {
namespace {

constexpr int64_t kEightUtc = 1'795'334'400'000;  // 2026-11-22T08:00:00Z

TEST(LocalTime, FormatsInTheGivenZone) {
  EXPECT_EQ(FormatForPeople(kEightUtc, "Asia/Shanghai"), "2026-11-22 16:00 CST");
  EXPECT_EQ(FormatForPeople(kEightUtc + 59'999, "UTC"), "2026-11-22 08:00 UTC");
  EXPECT_EQ(FormatForPeople(kEightUtc, "Europe/Berlin"), "2026-11-22 09:00 CET");
  EXPECT_EQ(FormatForPeople(kEightUtc, "Not/AZone"), "2026-11-22 08:00 UTC");
}

TEST(LocalTime, ChecksZoneNames) {
  EXPECT_TRUE(CheckTimeZone("Asia/Shanghai").ok());
  Status bad = CheckTimeZone("Beijing");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.field(), "time_zone");
  EXPECT_NE(bad.message().find("'Beijing'"), std::string::npos);
  EXPECT_FALSE(LocalTimeZoneName().empty());
}

}  // namespace
}  // namespace failsafe::catalog
