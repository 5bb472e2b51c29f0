#pragma once
// On-call rotation maths, free of storage: which person holds a schedule at a given instant,
// and the effective shifts over a window once overrides are painted over the rotation.
//
// A rotation hands off at a local wall-clock time (e.g. 09:00 in Asia/Shanghai) every day or
// every week, counted from a start date. Hand-offs follow the local clock across daylight
// saving changes, so a shift can be 23 or 25 hours long; a hand-off time that does not exist
// on a spring-forward day happens at the moment the clocks jump. Time zones come from the
// operating system's IANA database through Howard Hinnant's date/tz.h.
//
// Pure functions; thread-safe (the tz database is loaded once, lazily, by date/tz.h).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace failsafe::catalog {

enum class RotationKind { kDaily, kWeekly };

struct RotationSpec {
  RotationKind kind = RotationKind::kWeekly;
  int handoff_minutes = 9 * 60;  // minutes after local midnight, 0..1439
  std::string time_zone = "UTC";
  std::string start_date = "2026-01-05";  // YYYY-MM-DD, the first shift starts that day
  std::vector<int64_t> members;           // person ids in rotation order (repeats allowed)
};

// A person taking over [start_ms, end_ms) whatever the rotation says.
struct OverrideSpan {
  int64_t id = 0;  // overrides with higher ids win where they overlap
  int64_t person_id = 0;
  int64_t start_ms = 0, end_ms = 0;
};

// One stretch of time held by one person. `override_id` is 0 for a rotation shift.
struct Shift {
  int64_t start_ms = 0, end_ms = 0;
  int64_t person_id = 0;
  int64_t override_id = 0;
  bool operator==(const Shift&) const = default;
};

// "daily" | "weekly"; kInvalidArgument naming field "rotation" otherwise.
Result<RotationKind> ParseRotationKind(std::string_view text);
std::string_view RotationKindName(RotationKind kind);
// "HH:MM" (24-hour) -> minutes after midnight; kInvalidArgument naming "handoff_time".
Result<int> ParseHandoffTime(std::string_view text);
std::string FormatHandoffTime(int minutes);
// OK when `name` is a zone of the IANA database ("Asia/Shanghai", "UTC"); kInvalidArgument
// naming "time_zone" otherwise (also when the OS has no tz database).
Status ValidateTimeZone(std::string_view name);
// A real calendar date "YYYY-MM-DD" (years 1970..9999); kInvalidArgument naming "start_date".
Status ValidateDate(std::string_view text);
// Checks every field of `spec` (members may be empty).
Status ValidateRotation(const RotationSpec& spec);

// The shifts covering [from_ms, to_ms) in order, overrides applied (the first and last are
// clipped to the window). Where the rotation has not started or has no members and no override
// applies, there is a gap. `spec` must be valid (ValidateRotation); otherwise kInvalidArgument.
// At most `max_shifts` shifts are returned (kInvalidArgument beyond: the window is too long).
Result<std::vector<Shift>> EffectiveShifts(const RotationSpec& spec,
                                           const std::vector<OverrideSpan>& overrides,
                                           int64_t from_ms, int64_t to_ms,
                                           size_t max_shifts = 5000);

}  // namespace failsafe::catalog
