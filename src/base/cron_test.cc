#include "base/cron.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <cstdio>

namespace failsafe {
namespace {

using namespace std::chrono;

sys_seconds Utc(const char* text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  EXPECT_EQ(std::sscanf(text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), 5) << text;
  date::sys_days day = date::year{y} / mo / d;
  return sys_seconds{day} + hours{h} + minutes{mi};
}

std::string Format(sys_seconds t) {
  return date::format("%Y-%m-%d %H:%M", t);
}

std::string NextUtc(const char* schedule, const char* after, const char* tz = "UTC") {
  auto s = CronSchedule::Parse(schedule, tz);
  EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().ToString());
  if (!s) return "";
  auto next = s->Next(Utc(after));
  EXPECT_TRUE(next.has_value());
  return next ? Format(*next) : "";
}

TEST(CronSchedule, FieldsListsRangesStepsAndNames) {
  EXPECT_EQ(NextUtc("30 2 * * *", "2026-11-22 02:30"), "2026-11-23 02:30");
  EXPECT_EQ(NextUtc("30 2 * * *", "2026-11-22 02:29"), "2026-11-22 02:30");
  EXPECT_EQ(NextUtc("0 */6 * * *", "2026-11-22 07:00"), "2026-11-22 12:00");
  EXPECT_EQ(NextUtc("15,45 9-10 * * *", "2026-11-22 10:45"), "2026-11-23 09:15");
  // 2026-11-22 is a Sunday.
  EXPECT_EQ(NextUtc("0 3 * * mon-fri", "2026-11-22 00:00"), "2026-11-23 03:00");
  EXPECT_EQ(NextUtc("0 3 * * 7", "2026-11-22 04:00"), "2026-11-29 03:00");
  EXPECT_EQ(NextUtc("0 0 1 jan,JUL *", "2026-11-22 00:00"), "2027-01-01 00:00");
  EXPECT_EQ(NextUtc("@weekly", "2026-11-22 00:00"), "2026-11-29 00:00");
  EXPECT_EQ(NextUtc("@monthly", "2026-11-22 00:00"), "2026-12-01 00:00");
  EXPECT_EQ(NextUtc("0 12 29 2 *", "2026-11-22 00:00"), "2028-02-29 12:00");
}

TEST(CronSchedule, BothDayFieldsRestrictedMeansEither) {
  // The 1st of the month or any Friday (2026-11-27 is a Friday).
  EXPECT_EQ(NextUtc("0 0 1 * fri", "2026-11-22 00:00"), "2026-11-27 00:00");
  EXPECT_EQ(NextUtc("0 0 1 * fri", "2026-11-27 00:00"), "2026-12-01 00:00");
}

TEST(CronSchedule, WallTimeInTheScheduleTimeZone) {
  // 02:00 in Shanghai (UTC+8, no DST) is 18:00 UTC the day before.
  EXPECT_EQ(NextUtc("0 2 * * *", "2026-11-22 00:00", "Asia/Shanghai"), "2026-11-22 18:00");
}

TEST(CronSchedule, DaylightSavingGapsAndRepeats) {
  // Berlin springs forward on 2026-03-29 at 02:00 -> 03:00: 02:30 does not exist, so the
  // run happens at the first instant after the gap (01:00 UTC).
  EXPECT_EQ(NextUtc("30 2 * * *", "2026-03-28 12:00", "Europe/Berlin"), "2026-03-29 01:00");
  // It falls back on 2026-10-25 at 03:00 -> 02:00: 02:30 happens twice, the job runs once.
  EXPECT_EQ(NextUtc("30 2 * * *", "2026-10-24 12:00", "Europe/Berlin"), "2026-10-25 00:30");
  EXPECT_EQ(NextUtc("30 2 * * *", "2026-10-25 00:30", "Europe/Berlin"), "2026-10-26 01:30");
}

TEST(CronSchedule, ErrorsNameTheFieldAndText) {
  auto bad = [](const char* text) {
    auto s = CronSchedule::Parse(text);
    EXPECT_FALSE(s.has_value()) << text;
    return s ? std::string() : s.error().message();
  };
  EXPECT_EQ(bad("60 * * * *"), "minute: 60 is out of range 0-59");
  EXPECT_EQ(bad("* * * * 8"), "day-of-week: 8 is out of range 0-7");
  EXPECT_EQ(bad("* * * foo *"), "month: 'foo' is not a number or name");
  EXPECT_EQ(bad("*/0 * * * *"), "minute: step '0' is not 1-59");
  EXPECT_EQ(bad("5-1 * * * *"), "minute: range '5-1' runs backwards");
  EXPECT_NE(bad("* * *").find("5 fields"), std::string::npos);
  EXPECT_NE(bad("").find("5 fields"), std::string::npos);
  auto tz = CronSchedule::Parse("@daily", "Mars/Olympus");
  ASSERT_FALSE(tz.has_value());
  EXPECT_EQ(tz.error().field(), "time_zone");
  auto never = CronSchedule::Parse("0 0 31 2 *");
  ASSERT_TRUE(never.has_value());
  EXPECT_FALSE(never->Next(Utc("2026-01-01 00:00")).has_value());
}

}  // namespace
}  // namespace failsafe
