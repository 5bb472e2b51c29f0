#pragma once
// Timestamps in syslog headers: RFC 3339 (RFC 5424, and rsyslog's ISO format in the RFC 3164
// slot) and the BSD "Mmm dd hh:mm:ss", which has neither year nor zone: the zone is the
// source's configured one and the year is the one that puts the time closest to "now".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace date {
class time_zone;
}

namespace failsafe::watch {

// An IANA time zone (Asia/Shanghai, UTC) resolved once, for local times without an offset.
class LocalZone {
 public:
  LocalZone();  // UTC
  // InvalidArgument naming the zone when the system's tz database does not know it.
  static Result<LocalZone> Find(std::string_view name);
  const std::string& name() const { return name_; }
  // Unix milliseconds for a local wall-clock time (ambiguous times take the earlier instant,
  // times in a DST gap are shifted forward). nullopt for a date that does not exist.
  std::optional<int64_t> ToUnixMillis(int year, int month, int day, int hour, int minute,
                                      int second, int millis) const;
  // The calendar year of `unix_ms` in this zone.
  int YearAt(int64_t unix_ms) const;

 private:
  const date::time_zone* zone_ = nullptr;  // nullptr: UTC without the tz database
  std::string name_ = "UTC";
};

// Parses an RFC 3339 timestamp at the start of `text` ("2026-11-22T06:46:35.123456+08:00",
// fraction of up to 9 digits, "Z" or an offset). Sets *consumed to its length.
// Errors say what is wrong at which byte (relative to `text`).
Result<int64_t> ParseRfc3339Prefix(std::string_view text, size_t* consumed);

// True when `text` starts like an RFC 3339 date ("dddd-dd-dd").
bool LooksLikeRfc3339(std::string_view text);

// Parses a BSD timestamp "Mmm dd hh:mm:ss" (day may be space padded; an optional ".fff"
// fraction and an optional year after the day, "Mmm dd yyyy hh:mm:ss", as some devices send)
// at the start of `text`. nullopt when the text does not have that shape at all; an error when
// it has the shape but impossible values. The year, when absent, is inferred against `now_ms`.
Result<std::optional<int64_t>> ParseBsdTimestampPrefix(std::string_view text, const LocalZone& zone,
                                                       int64_t now_ms, size_t* consumed);

}  // namespace failsafe::watch
