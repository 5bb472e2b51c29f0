#include "backup/ops/retention.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <cstdio>

namespace failsafe::backup {
namespace {

using namespace std::chrono;

SnapshotRef At(int n, const char* when) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  EXPECT_EQ(std::sscanf(when, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), 5);
  SnapshotRef s;
  s.id.bytes[0] = static_cast<uint8_t>(n);
  s.time = date::sys_days{date::year{y} / mo / d} + hours{h} + minutes{mi};
  return s;
}

std::vector<int> KeptIds(const RetentionDecision& d) {
  std::vector<int> out;
  for (const auto& k : d.keep) out.push_back(k.snapshot.id.bytes[0]);
  return out;
}

// Two snapshots a day (02:00 and 14:00) for 40 days ending 2026-11-22.
std::vector<SnapshotRef> TwiceDaily() {
  std::vector<SnapshotRef> out;
  int n = 0;
  for (int day = 0; day < 40; ++day) {
    for (int hour : {2, 14}) {
      SnapshotRef s;
      s.id.bytes[0] = static_cast<uint8_t>(++n);
      s.time = date::sys_days{date::year{2026} / 10 / 14} + days{day} + hours{hour};
      out.push_back(s);
    }
  }
  return out;
}

TEST(Retention, KeepLastAndDailyKeepTheNewestOfEachDay) {
  RetentionPolicy p;
  p.last = 1;
  p.daily = 3;
  auto d = ApplyRetention(TwiceDaily(), p);
  ASSERT_TRUE(d.has_value());
  // Newest is 80 (day 40 14:00): last + daily; then 78 and 76 (14:00 of the two days before).
  EXPECT_EQ(KeptIds(*d), (std::vector<int>{80, 78, 76}));
  EXPECT_EQ(d->keep[0].reasons, (std::vector<std::string>{"last", "daily 2026-11-22"}));
  EXPECT_EQ(d->remove.size(), 77u);
}

TEST(Retention, WeeklyUsesIsoWeeksAndMonthlyCalendarMonths) {
  RetentionPolicy p;
  p.weekly = 2;
  p.monthly = 2;
  auto d = ApplyRetention(TwiceDaily(), p);
  ASSERT_TRUE(d.has_value());
  // 2026-11-22 is the Sunday ending ISO week 47; the week before ends on 2026-11-15 (id 66).
  // October's newest is 2026-10-31 14:00 (id 36).
  EXPECT_EQ(KeptIds(*d), (std::vector<int>{80, 66, 36}));
  EXPECT_EQ(d->keep[0].reasons, (std::vector<std::string>{"weekly 2026-W47", "monthly 2026-11"}));
  EXPECT_EQ(d->keep[2].reasons, (std::vector<std::string>{"monthly 2026-10"}));
}

TEST(Retention, AMissedDayDoesNotShortenTheHistory) {
  std::vector<SnapshotRef> s = {At(1, "2026-11-22 02:00"), At(2, "2026-11-20 02:00"),
                                At(3, "2026-11-19 02:00"), At(4, "2026-11-18 02:00")};
  RetentionPolicy p;
  p.daily = 3;
  auto d = ApplyRetention(s, p);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(KeptIds(*d), (std::vector<int>{1, 2, 3}));
}

TEST(Retention, DaysAreWallClockDaysInThePolicyTimeZone) {
  // 17:00 and 15:00 UTC on the same UTC day are different days in Shanghai (UTC+8).
  std::vector<SnapshotRef> s = {At(1, "2026-11-21 17:00"), At(2, "2026-11-21 15:00")};
  RetentionPolicy p;
  p.daily = 5;
  EXPECT_EQ(KeptIds(*ApplyRetention(s, p, "UTC")), (std::vector<int>{1}));
  EXPECT_EQ(KeptIds(*ApplyRetention(s, p, "Asia/Shanghai")), (std::vector<int>{1, 2}));
}

TEST(Retention, WithinKeepsEverythingNewerThanTheDurationBeforeTheNewest) {
  RetentionPolicy p;
  p.within = hours{24};
  auto d = ApplyRetention(TwiceDaily(), p);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(KeptIds(*d), (std::vector<int>{80, 79, 78}));
}

TEST(Retention, NoRuleIsRefused) {
  auto d = ApplyRetention(TwiceDaily(), RetentionPolicy{});
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().message().find("refusing"), std::string::npos);
  RetentionPolicy p;
  p.last = 1;
  EXPECT_FALSE(ApplyRetention({}, p, "Nowhere/Land").has_value());
}

}  // namespace
}  // namespace failsafe::backup
