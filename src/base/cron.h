#pragma once
// Cron schedules for backup policies, restore drills and other timed work: the five-field
// form `minute hour day-of-month month day-of-week` with lists, ranges, steps and names
// (`30 2 * * 1-5`, `0 */6 * * *`, `0 3 * * sun`), and @hourly, @daily, @weekly, @monthly,
// @yearly. As in Vixie cron, when both day fields are restricted a day matching either runs.
// Times are wall-clock times in the schedule's IANA time zone; see Next for DST.
#include <bitset>
#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe {

class CronSchedule {
 public:
  // Errors name the field and the offending text: "day-of-week: 8 is out of range 0-7".
  static Result<CronSchedule> Parse(std::string_view text, std::string_view time_zone = "UTC");

  // The first run strictly after `after`. A wall time that does not exist (skipped by a
  // spring-forward change) runs at the first instant after the gap; a wall time that occurs
  // twice (fall back) runs once, at its first occurrence. Never runs within a year: error.
  Result<std::chrono::sys_seconds> Next(std::chrono::sys_seconds after) const;

  const std::string& text() const { return text_; }
  const std::string& time_zone() const { return time_zone_; }

 private:
  bool DayMatches(int day_of_month, int month, int day_of_week) const;

  std::string text_;
  std::string time_zone_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // 1..31
  std::bitset<13> months_;         // 1..12
  std::bitset<7> days_of_week_;    // 0 = Sunday
  bool dom_restricted_ = false;
  bool dow_restricted_ = false;
};

}  // namespace failsafe
