#include "base/clock.h"

#include <ctime>

namespace failsafe {

int64_t Clock::NowMillis() const {
  return std::chrono::duration_cast<Millis>(Now().time_since_epoch()).count();
}

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

TimePoint FakeClock::Now() const {
  return TimePoint(Millis(now_ms_.load()));
}

namespace {

// Days since 1970-01-01 -> civil date (proleptic Gregorian); H. Hinnant's algorithm. Used
// instead of gmtime_r, which takes glibc's global time-zone lock: list endpoints format
// hundreds of timestamps per request on every core at once.
void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

void PutDigits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string FormatRfc3339(int64_t unix_millis) {
  int64_t days = unix_millis / 86'400'000;
  int64_t ms_of_day = unix_millis % 86'400'000;
  if (ms_of_day < 0) {
    ms_of_day += 86'400'000;
    days -= 1;
  }
  int y, mo, d;
  CivilFromDays(days, y, mo, d);
  if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999;  // outside RFC 3339's range: clamp, never overflow
  std::string out = "0000-00-00T00:00:00.000Z";
  PutDigits(&out[0], y, 4);
  PutDigits(&out[5], mo, 2);
  PutDigits(&out[8], d, 2);
  PutDigits(&out[11], static_cast<int>(ms_of_day / 3'600'000), 2);
  PutDigits(&out[14], static_cast<int>(ms_of_day / 60'000 % 60), 2);
  PutDigits(&out[17], static_cast<int>(ms_of_day / 1000 % 60), 2);
  PutDigits(&out[20], static_cast<int>(ms_of_day % 1000), 3);
  return out;
}

namespace {
bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<int64_t> ParseRfc3339(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, h) || s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' ||
      !Digits(s, 17, 2, se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  size_t pos = 19;
  int64_t ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!Digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset_min = (oh * 60 + om) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  int64_t secs = static_cast<int64_t>(timegm(&tm));
  return (secs - offset_min * 60) * 1000 + ms;
}

}  // namespace failsafe
