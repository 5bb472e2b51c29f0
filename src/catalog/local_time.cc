#include "catalog/local_time.h"

#include <date/tz.h>

#include <chrono>

namespace failsafe::catalog {

// locate_zone throws for unknown names (and when the OS database is missing); that is an
// expected failure here, not a bug.
const date::time_zone* FindZone(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

Status CheckTimeZone(std::string_view zone) {
  if (FindZone(zone) != nullptr) return Status::Ok();
  return InvalidArgument(
      "'" + std::string(zone) + "' is not a time zone name such as Asia/Shanghai or UTC",
      "time_zone");
}

std::string LocalTimeZoneName() {
  try {
    return std::string(date::current_zone()->name());
  } catch (const std::exception&) {
    return "UTC";
  }
}

std::string FormatForPeople(int64_t unix_millis, std::string_view zone) {
  const date::time_zone* tz = FindZone(zone);
  if (tz == nullptr) tz = FindZone("UTC");
  const auto at = std::chrono::time_point_cast<std::chrono::minutes>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(unix_millis)));
  if (tz == nullptr) return date::format("%Y-%m-%d %H:%M UTC", at);  // no zone database at all
  return date::format("%Y-%m-%d %H:%M %Z", date::make_zoned(tz, at));
}

}  // namespace failsafe::catalog
