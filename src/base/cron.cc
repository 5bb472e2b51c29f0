#include "base/cron.h"

#include <date/tz.h>

#include <array>
#include <charconv>
#include <vector>

namespace failsafe {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  // names for min..max, or nullptr
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

constexpr std::array<FieldSpec, 5> kFields = {{{"minute", 0, 59, nullptr},
                                               {"hour", 0, 23, nullptr},
                                               {"day-of-month", 1, 31, nullptr},
                                               {"month", 1, 12, kMonthNames},
                                               // 7 is Sunday too, as in most crons
                                               {"day-of-week", 0, 7, kDayNames}}};

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

Status FieldError(const FieldSpec& f, std::string message) {
  return InvalidArgument(std::string(f.name) + ": " + message, f.name);
}

Result<int> ParseValue(const FieldSpec& f, std::string_view text) {
  if (f.names != nullptr && text.size() == 3) {
    for (int i = 0; i <= f.max - f.min && i < (f.names == kMonthNames ? 12 : 7); ++i) {
      std::string_view name = f.names[i];
      bool same = true;
      for (size_t k = 0; k < 3; ++k)
        if ((text[k] | 0x20) != name[k]) same = false;
      if (same) return f.min + i;
    }
  }
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    return Err(FieldError(f, "'" + std::string(text) + "' is not a number or name"));
  if (value < f.min || value > f.max)
    return Err(FieldError(f, std::to_string(value) + " is out of range " + std::to_string(f.min) +
                                 "-" + std::to_string(f.max)));
  return value;
}

// Sets the bits of one field; returns whether the field was restricted (not `*`).
Result<bool> ParseField(const FieldSpec& f, std::string_view text, std::vector<bool>& bits) {
  bits.assign(static_cast<size_t>(f.max + 1), false);
  bool restricted = text != "*";
  for (std::string_view item : Split(text, ',')) {
    int step = 1;
    size_t slash = item.find('/');
    if (slash != std::string_view::npos) {
      std::string_view step_text = item.substr(slash + 1);
      auto [ptr, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (step_text.empty() || ec != std::errc() || ptr != step_text.data() + step_text.size() ||
          step <= 0 || step > f.max)
        return Err(FieldError(
            f, "step '" + std::string(step_text) + "' is not 1-" + std::to_string(f.max)));
      item = item.substr(0, slash);
    }
    int low, high;
    if (item == "*") {
      low = f.min;
      high = f.max == 7 ? 6 : f.max;
    } else {
      size_t dash = item.find('-');
      FS_ASSIGN_OR_RETURN(low, ParseValue(f, item.substr(0, dash)));
      if (dash == std::string_view::npos) {
        high = slash == std::string_view::npos ? low : f.max;
      } else {
        FS_ASSIGN_OR_RETURN(high, ParseValue(f, item.substr(dash + 1)));
      }
      if (high < low) return Err(FieldError(f, "range '" + std::string(item) + "' runs backwards"));
    }
    for (int v = low; v <= high; v += step) bits[static_cast<size_t>(v)] = true;
  }
  return restricted;
}

std::string_view Shorthand(std::string_view text) {
  if (text == "@hourly") return "0 * * * *";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  return text;
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view text, std::string_view time_zone) {
  CronSchedule s;
  s.text_ = std::string(text);
  s.time_zone_ = std::string(time_zone);
  try {
    (void)date::locate_zone(s.time_zone_);
  } catch (const std::exception&) {
    return Err(InvalidArgument("unknown time zone '" + s.time_zone_ + "'", "time_zone"));
  }
  std::vector<std::string_view> fields;
  for (std::string_view f : Split(Shorthand(text), ' '))
    if (!f.empty()) fields.push_back(f);
  if (fields.size() != 5)
    return Err(
        InvalidArgument("a schedule has 5 fields (minute hour day-of-month month "
                        "day-of-week) or is @hourly/@daily/@weekly/@monthly/@yearly; "
                        "got " +
                            std::to_string(fields.size()) + " in '" + std::string(text) + "'",
                        "schedule"));
  std::vector<bool> bits;
  for (size_t i = 0; i < 5; ++i) {
    auto restricted = ParseField(kFields[i], fields[i], bits);
    if (!restricted) return Err(restricted.error());
    for (size_t v = 0; v < bits.size(); ++v) {
      if (!bits[v]) continue;
      switch (i) {
        case 0: s.minutes_.set(v); break;
        case 1: s.hours_.set(v); break;
        case 2: s.days_of_month_.set(v); break;
        case 3: s.months_.set(v); break;
        case 4: s.days_of_week_.set(v % 7); break;
      }
    }
    if (i == 2) s.dom_restricted_ = *restricted;
    if (i == 4) s.dow_restricted_ = *restricted;
  }
  return s;
}

bool CronSchedule::DayMatches(int day_of_month, int month, int day_of_week) const {
  if (!months_.test(static_cast<size_t>(month))) return false;
  bool dom = days_of_month_.test(static_cast<size_t>(day_of_month));
  bool dow = days_of_week_.test(static_cast<size_t>(day_of_week));
  if (dom_restricted_ && dow_restricted_) return dom || dow;
  return dom && dow;
}

Result<std::chrono::sys_seconds> CronSchedule::Next(std::chrono::sys_seconds after) const {
  using namespace std::chrono;
  const date::time_zone* tz = date::locate_zone(time_zone_);
  auto local_after = tz->to_local(after);
  auto day = floor<days>(local_after);
  // A year and a day of candidate days covers every schedule that can run at all (29 Feb
  // schedules aside, which run within four years: look that far).
  for (int d = 0; d < 4 * 366 + 1; ++d, day += days{1}) {
    date::year_month_day ymd{day};
    int weekday = static_cast<int>(date::weekday{day}.c_encoding());
    if (!DayMatches(static_cast<int>(static_cast<unsigned>(ymd.day())),
                    static_cast<int>(static_cast<unsigned>(ymd.month())), weekday))
      continue;
    for (int h = 0; h < 24; ++h) {
      if (!hours_.test(static_cast<size_t>(h))) continue;
      for (int m = 0; m < 60; ++m) {
        if (!minutes_.test(static_cast<size_t>(m))) continue;
        date::local_seconds local{day.time_since_epoch() + hours{h} + minutes{m}};
        if (local + seconds{59} < local_after) continue;
        sys_seconds at;
        auto info = tz->get_info(local);
        if (info.result == date::local_info::nonexistent) {
          at = date::sys_seconds{info.second.begin.time_since_epoch()};
        } else {
          at = tz->to_sys(local, date::choose::earliest);
        }
        if (at > after) return at;
      }
    }
  }
  return Err(InvalidArgument("schedule '" + text_ + "' never runs", "schedule"));
}

}  // namespace failsafe
