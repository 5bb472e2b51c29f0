#include "watch/logs/line_time.h"

#include <re2/re2.h>

#include <vector>

namespace failsafe::watch::logs {
namespace {

bool Digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at `pos`.
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!Digit(s[pos + i])) return false;
    v = v * 10 + (s[pos + i] - '0');
  }
  *out = v;
  return true;
}

int MonthFromName(std::string_view s) {
  static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    if ((s[0] | 0x20) == kMonths[m][0] && (s[1] | 0x20) == kMonths[m][1] &&
        (s[2] | 0x20) == kMonths[m][2]) {
      return m + 1;
    }
  }
  return 0;
}

bool ValidClock(int mo, int d, int h, int mi, int s) {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

// ".123456" or ",123": milliseconds; advances pos.
int Fraction(std::string_view s, size_t* pos) {
  if (*pos >= s.size() || (s[*pos] != '.' && s[*pos] != ',')) return 0;
  size_t p = *pos + 1;
  int ms = 0, digits = 0;
  while (p < s.size() && Digit(s[p])) {
    if (digits < 3) ms = ms * 10 + (s[p] - '0');
    ++digits;
    ++p;
  }
  if (digits == 0) return 0;
  for (; digits < 3; ++digits) ms *= 10;
  *pos = p;
  return ms;
}

// "Z", "+08:00", "+0800", " +0000": the offset in minutes east of UTC; advances pos.
int Zone(std::string_view s, size_t* pos, bool allow_space) {
  size_t p = *pos;
  if (allow_space && p < s.size() && s[p] == ' ') ++p;
  if (p < s.size() && s[p] == 'Z') {
    *pos = p + 1;
    return 0;
  }
  if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    int h = 0, m = 0;
    const int sign = s[p] == '-' ? -1 : 1;
    if (!Digits(s, p + 1, 2, &h)) return 0;
    size_t q = p + 3;
    if (q < s.size() && s[q] == ':') ++q;
    if (!Digits(s, q, 2, &m)) return 0;
    *pos = q + 2;
    return sign * (h * 60 + m);
  }
  return 0;
}

std::optional<LineTime> Iso(std::string_view s, size_t at, YearGuess& year) {
  int y, mo, d, h, mi, se;
  if (!Digits(s, at, 4, &y) || s.size() < at + 19 || s[at + 4] != '-' ||
      !Digits(s, at + 5, 2, &mo) || s[at + 7] != '-' || !Digits(s, at + 8, 2, &d) ||
      (s[at + 10] != 'T' && s[at + 10] != ' ') || !Digits(s, at + 11, 2, &h) || s[at + 13] != ':' ||
      !Digits(s, at + 14, 2, &mi) || s[at + 16] != ':' || !Digits(s, at + 17, 2, &se) ||
      !ValidClock(mo, d, h, mi, se)) {
    return std::nullopt;
  }
  size_t pos = at + 19;
  const int ms = Fraction(s, &pos);
  const int zone = Zone(s, &pos, false);
  year.Saw(y, mo);
  return LineTime{CivilToMs(y, mo, d, h, mi, se, ms) - zone * 60'000LL, at, pos};
}

std::optional<LineTime> Syslog(std::string_view s, size_t at, YearGuess& year) {
  // "Nov 22 06:42:34" or "Nov  2 06:42:34"
  if (s.size() < at + 15) return std::nullopt;
  const int mo = MonthFromName(s.substr(at, 3));
  if (mo == 0 || s[at + 3] != ' ') return std::nullopt;
  int d = 0;
  if (s[at + 4] == ' ' && Digit(s[at + 5])) {
    d = s[at + 5] - '0';
  } else if (!Digits(s, at + 4, 2, &d)) {
    return std::nullopt;
  }
  int h, mi, se;
  if (s[at + 6] != ' ' || !Digits(s, at + 7, 2, &h) || s[at + 9] != ':' ||
      !Digits(s, at + 10, 2, &mi) || s[at + 12] != ':' || !Digits(s, at + 13, 2, &se) ||
      !ValidClock(mo, d, h, mi, se)) {
    return std::nullopt;
  }
  size_t pos = at + 15;
  const int ms = Fraction(s, &pos);
  const int y = year.YearFor(mo);
  return LineTime{CivilToMs(y, mo, d, h, mi, se, ms), at, pos};
}

std::optional<LineTime> Apache(std::string_view s, size_t at, YearGuess& year) {
  // "[22/Nov/2026:06:42:34 +0000]"
  int d, y, h, mi, se;
  if (s.size() < at + 21 || s[at] != '[' || !Digits(s, at + 1, 2, &d) || s[at + 3] != '/') {
    return std::nullopt;
  }
  const int mo = MonthFromName(s.substr(at + 4, 3));
  if (mo == 0 || s[at + 7] != '/' || !Digits(s, at + 8, 4, &y) || s[at + 12] != ':' ||
      !Digits(s, at + 13, 2, &h) || s[at + 15] != ':' || !Digits(s, at + 16, 2, &mi) ||
      s[at + 18] != ':' || !Digits(s, at + 19, 2, &se) || !ValidClock(mo, d, h, mi, se)) {
    return std::nullopt;
  }
  size_t pos = at + 21;
  const int zone = Zone(s, &pos, true);
  if (pos < s.size() && s[pos] == ']') ++pos;
  year.Saw(y, mo);
  return LineTime{CivilToMs(y, mo, d, h, mi, se, 0) - zone * 60'000LL, at, pos};
}

std::optional<LineTime> AnyAt(std::string_view s, size_t at, YearGuess& year) {
  if (at >= s.size()) return std::nullopt;
  if (Digit(s[at])) return Iso(s, at, year);
  if (s[at] == '[') return Apache(s, at, year);
  return Syslog(s, at, year);
}

// A strftime-like fail2ban datepattern compiled to RE2 with one group per field.
class StrftimePattern final : public DatePattern {
 public:
  StrftimePattern(std::unique_ptr<re2::RE2> re, std::vector<char> fields, bool defaults_inside)
      : re_(std::move(re)), fields_(std::move(fields)), defaults_inside_(defaults_inside) {}

  std::optional<LineTime> Find(std::string_view line, YearGuess& year) const override {
    const int n = re_->NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece> sub(n);
    if (!re_->Match(re2::StringPiece(line.data(), line.size()), 0, line.size(),
                    re2::RE2::UNANCHORED, sub.data(), n)) {
      return std::nullopt;
    }
    const size_t begin = sub[0].data() - line.data();
    if (defaults_inside_) {
      // "{DATE}": the default forms, right where the regex before it ends.
      const size_t at = sub[1].data() - line.data();
      auto t = AnyAt(line, at, year);
      if (t) t->begin = begin;
      return t;
    }
    int y = -1, mo = 1, d = 1, h = 0, mi = 0, se = 0, ms = 0, zone = 0;
    int64_t epoch = -1;
    bool pm = false, has_pm = false;
    for (size_t i = 0; i < fields_.size(); ++i) {
      const re2::StringPiece& v = sub[i + 1];
      std::string_view text(v.data(), v.size());
      int num = 0;
      for (char c : text) {
        if (Digit(c)) num = num * 10 + (c - '0');
      }
      switch (fields_[i]) {
        case 'Y': y = num; break;
        case 'y': y = 2000 + num; break;
        case 'm': mo = num; break;
        case 'b': mo = MonthFromName(text); break;
        case 'd': d = num; break;
        case 'H': h = num; break;
        case 'I': h = num % 12; break;
        case 'p':
          has_pm = true;
          pm = (text[0] | 0x20) == 'p';
          break;
        case 'M': mi = num; break;
        case 'S': se = num; break;
        case 'f': {
          size_t p = 0;
          std::string frac = "." + std::string(text);
          ms = Fraction(frac, &p);
          break;
        }
        case 'z': {
          size_t p = 0;
          zone = Zone(text, &p, false);
          break;
        }
        case 's': epoch = std::strtoll(std::string(text).c_str(), nullptr, 10); break;
        default: break;
      }
    }
    if (has_pm && pm) h += 12;
    const size_t end = sub[0].data() - line.data() + sub[0].size();
    if (epoch >= 0) return LineTime{epoch * 1000, begin, end};
    if (!ValidClock(mo, d, h, mi, se)) return std::nullopt;
    if (y < 0) {
      y = year.YearFor(mo);
    } else {
      year.Saw(y, mo);
    }
    return LineTime{CivilToMs(y, mo, d, h, mi, se, ms) - zone * 60'000LL, begin, end};
  }

 private:
  std::unique_ptr<re2::RE2> re_;
  std::vector<char> fields_;
  bool defaults_inside_;
};

// The default forms at line start. Consecutive lines mostly share their second, so the last
// answer is kept: a line starting with the same bytes (the date and the few the parser may
// look at past it, for a fraction or a zone) gives the same time, and leaves the year state
// as it was, when that state is where the last parse left it.
class LineStartPattern final : public DatePattern {
 public:
  std::optional<LineTime> Find(std::string_view line, YearGuess& year) const override {
    if (last_ && year == year_after_ && line.size() >= key_.size() &&
        (!whole_line_ || line.size() == key_.size()) && line.compare(0, key_.size(), key_) == 0) {
      return last_;
    }
    last_ = ParseLineStartTime(line, year);
    if (last_) {
      const size_t looked_at = last_->end + kLookahead;
      whole_line_ = line.size() <= looked_at;
      key_.assign(line.substr(0, looked_at));
      year_after_ = year;
    }
    return last_;
  }

 private:
  static constexpr size_t kLookahead = 8;  // " +08:00]": the most a parse reads past the date
  mutable std::optional<LineTime> last_;
  mutable std::string key_;
  mutable bool whole_line_ = false;
  mutable YearGuess year_after_{0};
};

}  // namespace

int YearGuess::YearFor(int month) {
  // Syslog dates have no year: a month far before the last one means the year turned.
  if (last_month_ != 0 && month + 6 < last_month_) ++year_;
  if (last_month_ != 0 && month > last_month_ + 6) --year_;  // a late line from last year
  last_month_ = month;
  return year_;
}

int64_t CivilToMs(int y, int m, int d, int hh, int mi, int ss, int ms) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = era * 146097 + doe - 719468;
  return ((days * 24 + hh) * 60 + mi) * 60'000LL + ss * 1000LL + ms;
}

int YearOf(int64_t ms) {
  int64_t z = (ms >= 0 ? ms : ms - 86'399'999) / 86'400'000 + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int>(yoe + era * 400 + (m <= 2));
}

std::optional<LineTime> ParseLineStartTime(std::string_view s, YearGuess& year) {
  size_t at = 0;
  if (!s.empty() && s[0] == '<') {  // syslog <PRI>, then RFC 5424's version "1 "
    size_t p = 1;
    while (p < s.size() && p < 5 && Digit(s[p])) ++p;
    if (p < s.size() && s[p] == '>') {
      at = p + 1;
      if (at + 1 < s.size() && Digit(s[at]) && s[at + 1] == ' ') at += 2;
    }
  }
  return AnyAt(s, at, year);
}

Result<std::unique_ptr<DatePattern>> DatePattern::Compile(const std::string& pattern) {
  if (pattern.empty() || pattern == "{^LN-BEG}" || pattern == "{DEFAULT}") {
    return std::unique_ptr<DatePattern>(new LineStartPattern());
  }
  std::string re;
  std::vector<char> fields;
  bool defaults_inside = false;
  std::string p = pattern;
  // fail2ban markers: {^LN-BEG} anchors at line start, {DATE} is "the default forms here".
  if (p.rfind("{^LN-BEG}", 0) == 0) {
    re += "^";
    p = p.substr(9);
  }
  for (size_t i = 0; i < p.size(); ++i) {
    if (p.compare(i, 6, "{DATE}") == 0) {
      re += "()";
      defaults_inside = true;
      i += 5;
      continue;
    }
    if (p[i] != '%' || i + 1 >= p.size()) {
      re += p[i];
      continue;
    }
    char f = p[++i];
    if (f == 'E' && i + 1 < p.size() && p[i + 1] == 'x' && i + 2 < p.size()) {
      i += 2;  // %ExY, %Exb...: fail2ban's "exact" variants
      f = p[i];
    }
    switch (f) {
      case '%': re += "%"; continue;
      case 'Y': re += R"((\d{4}))"; break;
      case 'y': re += R"((\d{2}))"; break;
      case 'm': re += R"((\d{1,2}))"; break;
      case 'd': re += R"(( ?\d{1,2}))"; break;
      case 'e':
        re += R"(( ?\d{1,2}))";
        f = 'd';
        break;
      case 'H': re += R"((\d{1,2}))"; break;
      case 'I': re += R"((\d{1,2}))"; break;
      case 'M': re += R"((\d{2}))"; break;
      case 'S': re += R"((\d{2}))"; break;
      case 'f': re += R"((\d{1,6}))"; break;
      case 'p': re += R"(([AaPp][Mm]))"; break;
      case 'b':
      case 'B':
        re += R"(([A-Za-z]{3,9}))";
        f = 'b';
        break;
      case 'a':
      case 'A': re += R"(([A-Za-z]{3,9}))"; break;
      case 'z': re += R"(([+-]\d{2}:?\d{2}|Z))"; break;
      case 'Z': re += R"(([A-Z]{1,5}))"; break;
      case 's': re += R"((\d{9,11}))"; break;
      case 'j':
      case 'U':
      case 'W':
      case 'w': re += R"((\d{1,3}))"; break;
      default:
        return Err(InvalidArgument(std::string("datepattern '") + pattern + "': %" + f +
                                   " is not supported"));
    }
    fields.push_back(f);
  }
  if (defaults_inside && !fields.empty()) {
    return Err(InvalidArgument("datepattern '" + pattern + "': {DATE} mixed with % fields"));
  }
  if (fields.empty() && !defaults_inside) {
    return Err(InvalidArgument("datepattern '" + pattern + "' has no date fields"));
  }
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  auto compiled = std::make_unique<re2::RE2>(re, options);
  if (!compiled->ok()) {
    return Err(InvalidArgument("datepattern '" + pattern + "': " + compiled->error()));
  }
  return std::unique_ptr<DatePattern>(
      new StrftimePattern(std::move(compiled), std::move(fields), defaults_inside));
}

}  // namespace failsafe::watch::logs
