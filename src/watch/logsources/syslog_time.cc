#include "watch/logsources/syslog_time.h"

#include <date/tz.h>

#include <array>
#include <chrono>
#include <cstdlib>

namespace failsafe::watch {
namespace {

using std::chrono::milliseconds;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at text[pos]; -1 when any is missing.
int Digits(std::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!IsDigit(text[pos + i])) return -1;
    v = v * 10 + (text[pos + i] - '0');
  }
  return v;
}

Status At(size_t pos, std::string what) {
  return InvalidArgument(what + " (byte " + std::to_string(pos) + " of the timestamp)",
                         "timestamp");
}

std::optional<int64_t> CivilToUnixMillis(int y, int mo, int d, int h, int mi, int s, int ms) {
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const auto days = date::sys_days(ymd).time_since_epoch();
  return std::chrono::duration_cast<milliseconds>(days).count() +
         ((h * 60LL + mi) * 60LL + s) * 1000LL + ms;
}

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

LocalZone::LocalZone() = default;

Result<LocalZone> LocalZone::Find(std::string_view name) {
  LocalZone z;
  if (name.empty() || name == "UTC") return z;
  try {
    z.zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    // locate_zone throws for unknown names: an expected configuration error, not a bug.
    return Err(InvalidArgument(
        "'" + std::string(name) + "' is not a time zone name such as Asia/Shanghai or UTC",
        "timezone"));
  }
  z.name_ = std::string(name);
  return z;
}

std::optional<int64_t> LocalZone::ToUnixMillis(int year, int month, int day, int hour, int minute,
                                               int second, int millis) const {
  auto naive = CivilToUnixMillis(year, month, day, hour, minute, second, millis);
  if (!naive || zone_ == nullptr) return naive;
  const date::local_time<milliseconds> local{milliseconds{*naive}};
  const date::local_info info = zone_->get_info(local);
  // unique: the one offset; ambiguous (clocks set back): the earlier instant, i.e. the first
  // offset; nonexistent (clocks set forward): the offset before the gap moves it forward.
  return *naive - std::chrono::duration_cast<milliseconds>(info.first.offset).count();
}

int LocalZone::YearAt(int64_t unix_ms) const {
  date::sys_time<milliseconds> t{milliseconds{unix_ms}};
  int64_t local_ms = unix_ms;
  if (zone_ != nullptr) {
    local_ms += std::chrono::duration_cast<milliseconds>(zone_->get_info(t).offset).count();
  }
  const auto days = date::floor<date::days>(date::sys_time<milliseconds>{milliseconds{local_ms}});
  return static_cast<int>(date::year_month_day{days}.year());
}

bool LooksLikeRfc3339(std::string_view text) {
  return Digits(text, 0, 4) >= 0 && text.size() > 7 && text[4] == '-' && Digits(text, 5, 2) >= 0 &&
         text[7] == '-';
}

Result<int64_t> ParseRfc3339Prefix(std::string_view text, size_t* consumed) {
  const int year = Digits(text, 0, 4);
  if (year < 0) return Err(At(0, "expected a 4-digit year"));
  if (text.size() < 5 || text[4] != '-') return Err(At(4, "expected '-' after the year"));
  const int month = Digits(text, 5, 2);
  if (month < 1 || month > 12) return Err(At(5, "expected a month 01-12"));
  if (text.size() < 8 || text[7] != '-') return Err(At(7, "expected '-' after the month"));
  const int day = Digits(text, 8, 2);
  if (day < 1 || day > 31) return Err(At(8, "expected a day 01-31"));
  if (text.size() < 11 || (text[10] != 'T' && text[10] != 't')) {
    return Err(At(10, "expected 'T' between date and time"));
  }
  const int hour = Digits(text, 11, 2);
  if (hour < 0 || hour > 23) return Err(At(11, "expected an hour 00-23"));
  if (text.size() < 14 || text[13] != ':') return Err(At(13, "expected ':' after the hour"));
  const int minute = Digits(text, 14, 2);
  if (minute < 0 || minute > 59) return Err(At(14, "expected minutes 00-59"));
  if (text.size() < 17 || text[16] != ':') return Err(At(16, "expected ':' after the minutes"));
  int second = Digits(text, 17, 2);
  if (second < 0 || second > 60) return Err(At(17, "expected seconds 00-60"));
  if (second == 60) second = 59;  // a leap second: the instant before is close enough
  size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && IsDigit(text[pos])) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return Err(At(pos, "expected 1 to 9 fraction digits"));
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }
  int64_t offset_min = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int oh = Digits(text, pos + 1, 2);
    const int om = Digits(text, pos + 4, 2);
    if (oh < 0 || oh > 23 || pos + 3 >= text.size() || text[pos + 3] != ':' || om < 0 || om > 59) {
      return Err(At(pos, "expected a zone offset like +08:00"));
    }
    offset_min = (text[pos] == '-' ? -1 : 1) * (oh * 60LL + om);
    pos += 6;
  } else {
    return Err(At(pos, "expected 'Z' or a zone offset like +08:00"));
  }
  auto ms = CivilToUnixMillis(year, month, day, hour, minute, second, millis);
  if (!ms) return Err(At(0, "the date does not exist"));
  *consumed = pos;
  return *ms - offset_min * 60'000;
}

Result<std::optional<int64_t>> ParseBsdTimestampPrefix(std::string_view text, const LocalZone& zone,
                                                       int64_t now_ms, size_t* consumed) {
  if (text.size() < 15) return std::optional<int64_t>{};
  int month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (text.substr(0, 3) == kMonths[i]) month = static_cast<int>(i) + 1;
  }
  if (month == 0 || text[3] != ' ') return std::optional<int64_t>{};
  // "Nov  2" (space padded, as RFC 3164 asks) or "Nov 02" / "Nov 2" (as some daemons send).
  size_t pos = 4;
  if (text[pos] == ' ') ++pos;
  int day = 0;
  size_t day_digits = 0;
  while (pos < text.size() && IsDigit(text[pos]) && day_digits < 2) {
    day = day * 10 + (text[pos++] - '0');
    ++day_digits;
  }
  if (day_digits == 0 || pos >= text.size() || text[pos] != ' ') return std::optional<int64_t>{};
  ++pos;
  std::optional<int> year;
  if (const int y = Digits(text, pos, 4); y >= 0 && pos + 4 < text.size() && text[pos + 4] == ' ') {
    year = y;
    pos += 5;
  }
  const int hour = Digits(text, pos, 2);
  const int minute = Digits(text, pos + 3, 2);
  const int second = Digits(text, pos + 6, 2);
  if (hour < 0 || minute < 0 || second < 0 || text[pos + 2] != ':' || text[pos + 5] != ':') {
    return std::optional<int64_t>{};
  }
  if (day < 1 || day > 31) return Err(At(4, "day " + std::to_string(day) + " out of range"));
  if (hour > 23) return Err(At(pos, "hour " + std::to_string(hour) + " out of range"));
  if (minute > 59) return Err(At(pos + 3, "minute " + std::to_string(minute) + " out of range"));
  if (second > 60) return Err(At(pos + 6, "second " + std::to_string(second) + " out of range"));
  const int sec = second == 60 ? 59 : second;
  pos += 8;
  int millis = 0;
  if (pos + 1 < text.size() && text[pos] == '.' && IsDigit(text[pos + 1])) {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && IsDigit(text[pos])) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }
  *consumed = pos;
  if (year) {
    auto ms = zone.ToUnixMillis(*year, month, day, hour, minute, sec, millis);
    if (!ms) return Err(At(0, "the date does not exist"));
    return std::optional<int64_t>(*ms);
  }
  // No year: of last year, this year and next year (in the source's zone) take the one
  // closest to now, so December lines read in January land in the old year, and a sender whose
  // clock runs slightly ahead across New Year lands in the new one. Feb 29 only exists in some.
  const int this_year = zone.YearAt(now_ms);
  std::optional<int64_t> best;
  for (int y = this_year - 1; y <= this_year + 1; ++y) {
    auto ms = zone.ToUnixMillis(y, month, day, hour, minute, sec, millis);
    if (ms && (!best || std::llabs(*ms - now_ms) < std::llabs(*best - now_ms))) best = ms;
  }
  if (!best) return Err(At(0, "the date does not exist"));
  return std::optional<int64_t>(*best);
}

}  // namespace failsafe::watch
