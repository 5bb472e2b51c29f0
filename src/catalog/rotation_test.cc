// Rotation maths: hand-offs on the local clock across time zones and DST, overrides, limits.
#include "catalog/rotation.h"

#include <gtest/gtest.h>

#include "base/clock.h"

namespace failsafe::catalog {
namespace {

int64_t T(const char* rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(0);
}

constexpr int64_t kHourMs = 3600 * 1000;

// Who holds the schedule at `at`: 0 for nobody.
int64_t Who(const RotationSpec& spec, int64_t at, const std::vector<OverrideSpan>& o = {}) {
  auto shifts = EffectiveShifts(spec, o, at, at + 1);
  EXPECT_TRUE(shifts) << shifts.error().ToString();
  if (!shifts || shifts->empty()) return 0;
  return shifts->front().person_id;
}

RotationSpec Weekly(std::string zone, std::string start, int handoff_minutes,
                    std::vector<int64_t> members) {
  RotationSpec s;
  s.kind = RotationKind::kWeekly;
  s.time_zone = std::move(zone);
  s.start_date = std::move(start);
  s.handoff_minutes = handoff_minutes;
  s.members = std::move(members);
  return s;
}

RotationSpec Daily(std::string zone, std::string start, int handoff_minutes,
                   std::vector<int64_t> members) {
  RotationSpec s = Weekly(std::move(zone), std::move(start), handoff_minutes, std::move(members));
  s.kind = RotationKind::kDaily;
  return s;
}

TEST(Rotation, WeeklyInUtcHandsOffAndWrapsAround) {
  const RotationSpec s = Weekly("UTC", "2026-01-05", 9 * 60, {1, 2, 3});
  EXPECT_EQ(Who(s, T("2026-01-05T08:59:59Z")), 0) << "not started yet";
  EXPECT_EQ(Who(s, T("2026-01-05T09:00:00Z")), 1);
  EXPECT_EQ(Who(s, T("2026-01-12T08:59:59.999Z")), 1);
  EXPECT_EQ(Who(s, T("2026-01-12T09:00:00Z")), 2);
  EXPECT_EQ(Who(s, T("2026-01-19T09:00:00Z")), 3);
  EXPECT_EQ(Who(s, T("2026-01-26T09:00:00Z")), 1);
  EXPECT_EQ(Who(s, T("2027-01-04T09:00:00Z")), 2) << "52 weeks on: shift 52, member 52 % 3 = 1";
}

TEST(Rotation, DailyHandOffFollowsTheLocalClockOfTheZone) {
  // 09:00 in Shanghai (UTC+8, no DST) is 01:00 UTC.
  const RotationSpec s = Daily("Asia/Shanghai", "2026-03-01", 9 * 60, {10, 20});
  EXPECT_EQ(Who(s, T("2026-03-01T00:59:59Z")), 0);
  EXPECT_EQ(Who(s, T("2026-03-01T01:00:00Z")), 10);
  EXPECT_EQ(Who(s, T("2026-03-02T00:59:59+00:00")), 10);
  EXPECT_EQ(Who(s, T("2026-03-02T09:00:00+08:00")), 20);
  EXPECT_EQ(Who(s, T("2026-03-03T09:00:00+08:00")), 10);
}

TEST(Rotation, ShiftsAcrossSpringForwardAreShorterAndKeepTheLocalHandOff) {
  // New York moves from EST (-5) to EDT (-4) on 2026-03-08 at 02:00.
  const RotationSpec s = Daily("America/New_York", "2026-03-07", 9 * 60, {1, 2});
  auto shifts = EffectiveShifts(s, {}, T("2026-03-07T00:00:00Z"), T("2026-03-10T00:00:00Z"));
  ASSERT_TRUE(shifts) << shifts.error().ToString();
  ASSERT_EQ(shifts->size(), 3u);
  EXPECT_EQ((*shifts)[0].start_ms, T("2026-03-07T14:00:00Z"));  // 09:00 EST
  EXPECT_EQ((*shifts)[0].end_ms, T("2026-03-08T13:00:00Z"));    // 09:00 EDT
  EXPECT_EQ((*shifts)[0].end_ms - (*shifts)[0].start_ms, 23 * kHourMs);
  EXPECT_EQ((*shifts)[1].person_id, 2);
  EXPECT_EQ((*shifts)[1].end_ms - (*shifts)[1].start_ms, 24 * kHourMs);
  EXPECT_EQ((*shifts)[2].end_ms, T("2026-03-10T00:00:00Z")) << "clipped to the window";
}

TEST(Rotation, ShiftsAcrossFallBackAreLonger) {
  // London leaves BST (+1) for GMT on 2026-10-25 at 02:00 BST.
  const RotationSpec s = Weekly("Europe/London", "2026-10-19", 9 * 60, {1, 2});
  auto shifts = EffectiveShifts(s, {}, T("2026-10-19T08:00:00Z"), T("2026-10-26T10:00:00Z"));
  ASSERT_TRUE(shifts) << shifts.error().ToString();
  ASSERT_EQ(shifts->size(), 2u);
  EXPECT_EQ((*shifts)[0].start_ms, T("2026-10-19T08:00:00Z"));  // 09:00 BST
  EXPECT_EQ((*shifts)[1].start_ms, T("2026-10-26T09:00:00Z"));  // 09:00 GMT
  EXPECT_EQ((*shifts)[1].start_ms - (*shifts)[0].start_ms, (7 * 24 + 1) * kHourMs);
}

TEST(Rotation, HandOffInsideTheSpringGapHappensAtTheJump) {
  // 02:30 does not exist in New York on 2026-03-08: clocks jump from 02:00 EST (07:00Z).
  const RotationSpec s = Daily("America/New_York", "2026-03-07", 2 * 60 + 30, {1, 2});
  EXPECT_EQ(Who(s, T("2026-03-08T06:59:59Z")), 1);
  EXPECT_EQ(Who(s, T("2026-03-08T07:00:00Z")), 2);
  // The next day is ordinary again: 02:30 EDT = 06:30Z.
  EXPECT_EQ(Who(s, T("2026-03-09T06:29:59Z")), 2);
  EXPECT_EQ(Who(s, T("2026-03-09T06:30:00Z")), 1);
}

TEST(Rotation, AmbiguousHandOffTakesTheFirstOccurrence) {
  // 01:30 happens twice in London on 2026-10-25; the hand-off is at the first (BST, 00:30Z).
  const RotationSpec s = Daily("Europe/London", "2026-10-24", 90, {1, 2});
  EXPECT_EQ(Who(s, T("2026-10-25T00:29:59Z")), 1);
  EXPECT_EQ(Who(s, T("2026-10-25T00:30:00Z")), 2);
  EXPECT_EQ(Who(s, T("2026-10-25T01:30:00Z")), 2) << "the second 01:30 is no hand-off";
}

TEST(Rotation, OverridesCutIntoShiftsAndLaterOnesWin) {
  const RotationSpec s = Weekly("UTC", "2026-01-05", 9 * 60, {1, 2});
  const std::vector<OverrideSpan> overrides = {
      {7, 9, T("2026-01-06T00:00:00Z"), T("2026-01-08T00:00:00Z")},
      {8, 5, T("2026-01-07T00:00:00Z"), T("2026-01-07T12:00:00Z")},
  };
  EXPECT_EQ(Who(s, T("2026-01-05T23:59:59Z"), overrides), 1);
  EXPECT_EQ(Who(s, T("2026-01-06T00:00:00Z"), overrides), 9);
  EXPECT_EQ(Who(s, T("2026-01-07T06:00:00Z"), overrides), 5) << "the newer override wins";
  EXPECT_EQ(Who(s, T("2026-01-07T12:00:00Z"), overrides), 9);
  EXPECT_EQ(Who(s, T("2026-01-08T00:00:00Z"), overrides), 1);

  auto shifts = EffectiveShifts(s, overrides, T("2026-01-05T09:00:00Z"), T("2026-01-12T09:00:00Z"));
  ASSERT_TRUE(shifts);
  std::vector<std::pair<int64_t, int64_t>> who_override;
  for (const auto& x : *shifts) who_override.emplace_back(x.person_id, x.override_id);
  const std::vector<std::pair<int64_t, int64_t>> want = {{1, 0}, {9, 7}, {5, 8}, {9, 7}, {1, 0}};
  EXPECT_EQ(who_override, want);
  for (size_t i = 1; i < shifts->size(); ++i) {
    EXPECT_EQ((*shifts)[i - 1].end_ms, (*shifts)[i].start_ms) << "contiguous at " << i;
  }
}

TEST(Rotation, OverridesCoverAnEmptyRotation) {
  const RotationSpec s = Weekly("UTC", "2026-01-05", 0, {});
  const std::vector<OverrideSpan> o = {
      {1, 4, T("2026-02-01T00:00:00Z"), T("2026-02-02T00:00:00Z")}};
  EXPECT_EQ(Who(s, T("2026-02-01T10:00:00Z"), o), 4);
  EXPECT_EQ(Who(s, T("2026-02-02T10:00:00Z"), o), 0);
}

TEST(Rotation, ValidationNamesTheField) {
  EXPECT_EQ(ValidateTimeZone("Mars/Olympus").field(), "time_zone");
  EXPECT_EQ(ValidateTimeZone("").field(), "time_zone");
  EXPECT_EQ(ValidateTimeZone("../../etc/passwd").field(), "time_zone");
  EXPECT_TRUE(ValidateTimeZone("Asia/Shanghai").ok());
  EXPECT_EQ(ValidateDate("2026-02-30").field(), "start_date");
  EXPECT_EQ(ValidateDate("2026-2-3").field(), "start_date");
  EXPECT_TRUE(ValidateDate("2028-02-29").ok());
  for (const char* bad : {"24:00", "9:00", "09:60", "0900", "", "ab:cd"}) {
    auto r = ParseHandoffTime(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field(), "handoff_time");
  }
  EXPECT_EQ(*ParseHandoffTime("23:59"), 23 * 60 + 59);
  EXPECT_EQ(FormatHandoffTime(9 * 60 + 5), "09:05");
  EXPECT_EQ(ParseRotationKind("monthly").error().field(), "rotation");
  RotationSpec bad = Daily("Nowhere/City", "2026-01-01", 0, {1});
  EXPECT_FALSE(EffectiveShifts(bad, {}, 0, 1000));
}

TEST(Rotation, RefusesWindowsWithTooManyShifts) {
  const RotationSpec s = Daily("UTC", "2026-01-01", 0, {1, 2});
  auto r = EffectiveShifts(s, {}, T("2026-01-01T00:00:00Z"), T("2027-01-01T00:00:00Z"), 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  auto ok = EffectiveShifts(s, {}, T("2026-01-01T00:00:00Z"), T("2026-01-11T00:00:00Z"), 100);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->size(), 10u);
}

}  // namespace
}  // namespace failsafe::catalog
