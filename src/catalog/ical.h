#pragma once
// iCalendar (RFC 5545) output for on-call schedules: one VCALENDAR with a VEVENT per shift.
// Written by hand (a few dozen lines) rather than with libical: we only ever write, a small
// fixed subset, and the folding/escaping rules are short and tested here.
//
// Lines end in CRLF and are folded so no line exceeds 75 octets (a fold never splits a UTF-8
// sequence); TEXT values escape backslash, semicolon, comma and newlines. Times are written in
// UTC ("20260105T010000Z"). Pure functions; thread-safe.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace failsafe::catalog {

struct CalendarEvent {
  std::string uid;  // globally unique and stable: the same shift keeps its UID across exports
  int64_t start_ms = 0, end_ms = 0;
  std::string summary;
  std::string description;  // optional
};

// A whole calendar. `name` becomes X-WR-CALNAME; `stamp_ms` is every event's DTSTAMP.
std::string RenderCalendar(std::string_view name, const std::vector<CalendarEvent>& events,
                           int64_t stamp_ms);

// Exposed for tests.
std::string EscapeIcalText(std::string_view text);
std::string FoldIcalLine(std::string_view line);  // the folded line with its final CRLF
std::string IcalUtcTime(int64_t unix_ms);         // "YYYYMMDDTHHMMSSZ"

}  // namespace failsafe::catalog
