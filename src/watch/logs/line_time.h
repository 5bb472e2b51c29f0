#pragma once
// When a log line says it happened. Rules judge time windows by these, never by the wall
// clock, so a file is judged the same whenever it is read.
// Understood at the start of a line (after an optional syslog <PRI> and RFC 5424 version):
//   syslog (RFC 3164)   "Nov 22 06:42:34" (optionally ".123456"): the year is inferred: the
//                       reader's year, moving on by one when the month goes back (Dec -> Jan)
//   ISO 8601/RFC 3339   "2026-11-22T06:42:34.123Z", "2026-11-22 06:42:34+08:00"
//   Apache/nginx        "[22/Nov/2026:06:42:34 +0000]"
// Times without a zone are taken as UTC (windows only need differences).
// A fail2ban `datepattern` (strftime-like, %Y %m %d %H %M %S %b %y %f %z %s %e ...) is turned
// into a DatePattern that finds the date anywhere its regex says.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::watch::logs {

struct LineTime {
  int64_t ms = 0;
  size_t begin = 0, end = 0;  // the date's bytes in the line (fail2ban strips them)
};

// Year inference state for one stream of lines.
class YearGuess {
 public:
  explicit YearGuess(int year) : year_(year) {}
  // The year for a date of `month` (1..12) with no year, after the one seen last.
  int YearFor(int month);
  void Saw(int year, int month) {
    year_ = year;
    last_month_ = month;
  }
  int year() const { return year_; }
  bool operator==(const YearGuess&) const = default;

 private:
  int year_;
  int last_month_ = 0;
};

// Unix milliseconds of a civil UTC time (proleptic Gregorian).
int64_t CivilToMs(int year, int month, int day, int hour, int minute, int second, int millis);
// The UTC year of Unix milliseconds.
int YearOf(int64_t ms);

// The time at the start of `line`, or nothing.
std::optional<LineTime> ParseLineStartTime(std::string_view line, YearGuess& year);

class DatePattern {
 public:
  // fail2ban datepattern syntax: "{^LN-BEG}" (the default templates at line start), a
  // strftime-like pattern, optionally with regex around it, "{DATE}" for the defaults inside.
  static Result<std::unique_ptr<DatePattern>> Compile(const std::string& datepattern);
  virtual ~DatePattern() = default;
  // Not thread-safe: a pattern may remember its last answer (consecutive lines mostly share
  // their date).
  virtual std::optional<LineTime> Find(std::string_view line, YearGuess& year) const = 0;
};

}  // namespace failsafe::watch::logs
