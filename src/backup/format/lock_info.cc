#include "backup/format/lock_info.h"

#include "base/clock.h"
#include "base/json.h"

namespace failsafe::backup {

std::string EncodeLockInfo(const LockInfo& lock) {
  std::string out;
  json::Writer w(out);
  w.BeginObject();
  w.Field("host", lock.host);
  w.Field("pid", lock.pid);
  w.Field("user", lock.user);
  w.Key("exclusive");
  w.Bool(lock.exclusive);
  w.Field("created", FormatRfc3339(lock.created_ms));
  w.Field("refreshed", FormatRfc3339(lock.refreshed_ms));
  w.EndObject();
  return out;
}

Result<LockInfo> DecodeLockInfo(std::string_view text, std::string_view name) {
  const std::string what = "lock " + std::string(name);
  auto parsed = json::ParseObject(text);
  if (!parsed) return Err(parsed.error().WithContext(what));
  json::ObjectReader r(*parsed);
  LockInfo lock;
  lock.host = r.RequiredString("host", 256);
  lock.pid = r.RequiredInt("pid");
  lock.user = r.OptionalString("user", 256).value_or("");
  auto exclusive = r.OptionalBool("exclusive");
  if (!exclusive) r.Fail("exclusive", "field 'exclusive' is required");
  const std::string created = r.RequiredString("created", 64);
  const std::string refreshed = r.RequiredString("refreshed", 64);
  FS_RETURN_IF_ERROR(r.Finish().WithContext(what));
  lock.exclusive = *exclusive;
  auto created_ms = ParseRfc3339(created);
  auto refreshed_ms = ParseRfc3339(refreshed);
  if (!created_ms)
    return Err(InvalidArgument(what + ": created is not an RFC 3339 time", "created"));
  if (!refreshed_ms)
    return Err(InvalidArgument(what + ": refreshed is not an RFC 3339 time", "refreshed"));
  if (lock.pid <= 0) return Err(InvalidArgument(what + ": pid must be positive", "pid"));
  lock.created_ms = *created_ms;
  lock.refreshed_ms = *refreshed_ms;
  return lock;
}

}  // namespace failsafe::backup
