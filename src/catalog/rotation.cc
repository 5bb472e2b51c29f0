#include "catalog/rotation.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>

#include "catalog/local_time.h"

namespace failsafe::catalog {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using SysMs = date::sys_time<milliseconds>;

bool ParseInt(std::string_view text, int& out) {
  if (text.empty()) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

bool ParseYmd(std::string_view text, date::year_month_day& out) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int y = 0, m = 0, d = 0;
  if (!ParseInt(text.substr(0, 4), y) || !ParseInt(text.substr(5, 2), m) ||
      !ParseInt(text.substr(8, 2), d)) {
    return false;
  }
  out = date::year{y} / date::month{static_cast<unsigned>(m)} / date::day{static_cast<unsigned>(d)};
  return out.ok() && y >= 1970 && y <= 9999;
}

int ShiftDays(RotationKind kind) {
  return kind == RotationKind::kDaily ? 1 : 7;
}

// The rotation as numbers: its zone, the local day of shift 0 and the shift length.
struct Cadence {
  const date::time_zone* zone = nullptr;
  date::local_days first_day;
  int days = 7;
  minutes handoff{0};

  // Start of shift n (UTC). A hand-off inside a spring-forward gap happens at the jump; in an
  // autumn overlap, at its first occurrence.
  int64_t StartOf(int64_t n) const {
    const date::local_time<minutes> local = first_day + date::days{n * days} + handoff;
    const auto sys = zone->to_sys(local, date::choose::earliest);
    return std::chrono::duration_cast<milliseconds>(sys.time_since_epoch()).count();
  }

  // The shift holding instant `at_ms` (may be negative: before the rotation starts).
  int64_t IndexAt(int64_t at_ms) const {
    const SysMs at{milliseconds{at_ms}};
    const auto local = zone->to_local(at);
    const auto local_min = date::floor<minutes>(local) - handoff;
    const auto day = date::floor<date::days>(local_min);
    const int64_t elapsed = (day - first_day).count();
    int64_t n = elapsed >= 0 ? elapsed / days : -((-elapsed + days - 1) / days);
    // The local-clock estimate can be one off around DST jumps; settle it on real instants.
    while (at_ms < StartOf(n)) --n;
    while (at_ms >= StartOf(n + 1)) ++n;
    return n;
  }
};

Result<Cadence> CadenceOf(const RotationSpec& spec) {
  FS_RETURN_IF_ERROR(ValidateRotation(spec));
  Cadence c;
  c.zone = FindZone(spec.time_zone);
  date::year_month_day ymd;
  ParseYmd(spec.start_date, ymd);
  c.first_day = date::local_days{ymd};
  c.days = ShiftDays(spec.kind);
  c.handoff = minutes{spec.handoff_minutes};
  return c;
}

// Rotation shifts (no overrides) over [from, to).
std::vector<Shift> RotationShifts(const Cadence& c, const RotationSpec& spec, int64_t from_ms,
                                  int64_t to_ms, size_t max_shifts, bool& too_many) {
  std::vector<Shift> out;
  if (spec.members.empty()) return out;
  const int64_t count = static_cast<int64_t>(spec.members.size());
  for (int64_t n = std::max<int64_t>(0, c.IndexAt(from_ms));; ++n) {
    const int64_t start = c.StartOf(n);
    if (start >= to_ms) break;
    const int64_t end = c.StartOf(n + 1);
    if (end <= from_ms) continue;
    if (out.size() == max_shifts) {
      too_many = true;
      break;
    }
    out.push_back({std::max(start, from_ms), std::min(end, to_ms),
                   spec.members[static_cast<size_t>(n % count)], 0});
  }
  return out;
}

// Paints [o.start, o.end) held by o.person over `shifts` (sorted, non-overlapping).
void Paint(std::vector<Shift>& shifts, const OverrideSpan& o, int64_t from_ms, int64_t to_ms) {
  const int64_t start = std::max(o.start_ms, from_ms);
  const int64_t end = std::min(o.end_ms, to_ms);
  if (start >= end) return;
  std::vector<Shift> out;
  out.reserve(shifts.size() + 2);
  for (const Shift& s : shifts) {
    if (s.end_ms <= start || s.start_ms >= end) {
      out.push_back(s);
      continue;
    }
    if (s.start_ms < start) out.push_back({s.start_ms, start, s.person_id, s.override_id});
    if (s.end_ms > end) out.push_back({end, s.end_ms, s.person_id, s.override_id});
  }
  out.push_back({start, end, o.person_id, o.id});
  std::sort(out.begin(), out.end(),
            [](const Shift& a, const Shift& b) { return a.start_ms < b.start_ms; });
  shifts = std::move(out);
}

}  // namespace

Result<RotationKind> ParseRotationKind(std::string_view text) {
  if (text == "daily") return RotationKind::kDaily;
  if (text == "weekly") return RotationKind::kWeekly;
  return Err(InvalidArgument("rotation must be daily or weekly", "rotation"));
}

std::string_view RotationKindName(RotationKind kind) {
  return kind == RotationKind::kDaily ? "daily" : "weekly";
}

Result<int> ParseHandoffTime(std::string_view text) {
  int h = 0, m = 0;
  if (text.size() != 5 || text[2] != ':' || !ParseInt(text.substr(0, 2), h) ||
      !ParseInt(text.substr(3, 2), m) || h > 23 || m > 59) {
    return Err(InvalidArgument("handoff_time must be HH:MM (24-hour), e.g. 09:00, got \"" +
                                   std::string(text.substr(0, 16)) + "\"",
                               "handoff_time"));
  }
  return h * 60 + m;
}

std::string FormatHandoffTime(int minutes) {
  char buf[6];
  buf[0] = static_cast<char>('0' + minutes / 600);
  buf[1] = static_cast<char>('0' + minutes / 60 % 10);
  buf[2] = ':';
  buf[3] = static_cast<char>('0' + minutes % 60 / 10);
  buf[4] = static_cast<char>('0' + minutes % 10);
  buf[5] = '\0';
  return buf;
}

Status ValidateTimeZone(std::string_view name) {
  if (FindZone(name) == nullptr) {
    return InvalidArgument("time_zone \"" + std::string(name.substr(0, 64)) +
                               "\" is not an IANA time zone (e.g. Asia/Shanghai, UTC)",
                           "time_zone");
  }
  return Status::Ok();
}

Status ValidateDate(std::string_view text) {
  date::year_month_day ymd;
  if (!ParseYmd(text, ymd)) {
    return InvalidArgument(
        "start_date must be a date YYYY-MM-DD, got \"" + std::string(text.substr(0, 16)) + "\"",
        "start_date");
  }
  return Status::Ok();
}

Status ValidateRotation(const RotationSpec& spec) {
  if (spec.handoff_minutes < 0 || spec.handoff_minutes >= 24 * 60) {
    return InvalidArgument("handoff_time must be within one day", "handoff_time");
  }
  FS_RETURN_STATUS_IF_ERROR(ValidateTimeZone(spec.time_zone));
  return ValidateDate(spec.start_date);
}

Result<std::vector<Shift>> EffectiveShifts(const RotationSpec& spec,
                                           const std::vector<OverrideSpan>& overrides,
                                           int64_t from_ms, int64_t to_ms, size_t max_shifts) {
  if (from_ms >= to_ms) return std::vector<Shift>{};
  FS_ASSIGN_OR_RETURN(Cadence cadence, CadenceOf(spec));
  bool too_many = false;
  std::vector<Shift> shifts = RotationShifts(cadence, spec, from_ms, to_ms, max_shifts, too_many);
  std::vector<OverrideSpan> ordered = overrides;
  std::sort(ordered.begin(), ordered.end(),
            [](const OverrideSpan& a, const OverrideSpan& b) { return a.id < b.id; });
  for (const OverrideSpan& o : ordered) Paint(shifts, o, from_ms, to_ms);
  if (too_many || shifts.size() > max_shifts) {
    return Err(InvalidArgument("the window holds more than " + std::to_string(max_shifts) +
                               " shifts: ask for less"));
  }
  return shifts;
}

}  // namespace failsafe::catalog
