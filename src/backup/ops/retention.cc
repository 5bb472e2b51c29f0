#include "backup/ops/retention.h"

#include <date/tz.h>

#include <algorithm>
#include <optional>

namespace failsafe::backup {
namespace {

struct Rule {
  const char* name;
  int count;
  // The bucket a local time falls in, printed as the reason's period.
  std::string (*bucket)(date::local_seconds);
};

std::string HourOf(date::local_seconds t) {
  return date::format("%Y-%m-%d %H:00", t);
}
std::string DayOf(date::local_seconds t) {
  return date::format("%Y-%m-%d", t);
}
std::string WeekOf(date::local_seconds t) {
  return date::format("%G-W%V", date::floor<date::days>(t));
}
std::string MonthOf(date::local_seconds t) {
  return date::format("%Y-%m", t);
}
std::string YearOf(date::local_seconds t) {
  return date::format("%Y", t);
}

}  // namespace

bool RetentionPolicy::KeepsNothing() const {
  return last <= 0 && hourly <= 0 && daily <= 0 && weekly <= 0 && monthly <= 0 && yearly <= 0 &&
         within.count() <= 0;
}

Status RequireKeepRule(const RetentionPolicy& policy) {
  if (!policy.KeepsNothing()) return Status::Ok();
  return InvalidArgument(
      "no keep rule given (--keep-last, --keep-hourly, --keep-daily, --keep-weekly, "
      "--keep-monthly, --keep-yearly, --keep-within): refusing to remove every snapshot");
}

Result<RetentionDecision> ApplyRetention(std::vector<SnapshotRef> snapshots,
                                         const RetentionPolicy& policy,
                                         const std::string& time_zone) {
  FS_RETURN_IF_ERROR(RequireKeepRule(policy));
  const date::time_zone* tz;
  try {
    tz = date::locate_zone(time_zone);
  } catch (const std::exception&) {
    return Err(InvalidArgument("unknown time zone '" + time_zone + "'", "time_zone"));
  }
  std::sort(snapshots.begin(), snapshots.end(), [](const SnapshotRef& a, const SnapshotRef& b) {
    return a.time != b.time ? a.time > b.time : a.id > b.id;
  });

  std::vector<std::vector<std::string>> reasons(snapshots.size());
  for (size_t i = 0; i < snapshots.size() && i < static_cast<size_t>(std::max(0, policy.last)); ++i)
    reasons[i].push_back("last");

  const Rule rules[] = {{"hourly", policy.hourly, HourOf},
                        {"daily", policy.daily, DayOf},
                        {"weekly", policy.weekly, WeekOf},
                        {"monthly", policy.monthly, MonthOf},
                        {"yearly", policy.yearly, YearOf}};
  for (const Rule& rule : rules) {
    int left = rule.count;
    std::optional<std::string> previous;
    for (size_t i = 0; i < snapshots.size() && left > 0; ++i) {
      auto local = tz->to_local(std::chrono::floor<std::chrono::seconds>(snapshots[i].time));
      std::string bucket = rule.bucket(local);
      if (previous && *previous == bucket) continue;  // not the newest of its period
      previous = bucket;
      reasons[i].push_back(std::string(rule.name) + " " + bucket);
      --left;
    }
  }
  if (policy.within.count() > 0 && !snapshots.empty()) {
    auto limit = snapshots.front().time - policy.within;
    for (size_t i = 0; i < snapshots.size() && snapshots[i].time >= limit; ++i)
      reasons[i].push_back("within");
  }

  RetentionDecision decision;
  for (size_t i = 0; i < snapshots.size(); ++i) {
    if (reasons[i].empty()) {
      decision.remove.push_back(snapshots[i]);
    } else {
      decision.keep.push_back({snapshots[i], std::move(reasons[i])});
    }
  }
  return decision;
}

}  // namespace failsafe::backup
