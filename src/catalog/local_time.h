#pragma once
// Times as people read them in messages (status updates, notifications): the organisation's
// time zone, minutes precision, "2026-11-22 12:34 CST", rather than RFC 3339 in UTC.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace date {
class time_zone;
}

namespace failsafe::catalog {

// The zone, or nullptr when the name is unknown (or the OS zone database is missing).
const date::time_zone* FindZone(std::string_view name);

// kInvalidArgument unless `zone` is an IANA time zone name ("Asia/Shanghai", "UTC").
Status CheckTimeZone(std::string_view zone);
// The server's own zone (/etc/localtime), "UTC" when it cannot be told.
std::string LocalTimeZoneName();
// `unix_millis` in `zone` as "YYYY-MM-DD HH:MM ABBR"; an unknown zone falls back to UTC.
std::string FormatForPeople(int64_t unix_millis, std::string_view zone);

}  // namespace failsafe::catalog
