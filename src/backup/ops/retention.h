#pragma once
// Retention: which snapshots `forget` keeps (keep last, hourly, daily, weekly, monthly,
// yearly, within a duration). As in restic, "keep N daily" keeps the newest snapshot of each
// of the N most recent days that have one, so a missed day does not shorten the history; a
// snapshot kept for several reasons is listed with all of them. Buckets are wall-clock
// periods in a time zone (a policy's), weeks are ISO weeks.
#include <chrono>
#include <string>
#include <vector>

#include "backup/format/ids.h"
#include "base/result.h"

namespace failsafe::backup {

struct RetentionPolicy {
  int last = 0;
  int hourly = 0;
  int daily = 0;
  int weekly = 0;
  int monthly = 0;
  int yearly = 0;
  std::chrono::seconds within{0};  // keep everything newer than this before the newest

  bool KeepsNothing() const;  // no rule given: forget refuses rather than remove everything
};

// InvalidArgument naming the keep options when `policy` keeps nothing.
Status RequireKeepRule(const RetentionPolicy& policy);

struct SnapshotRef {
  Id id;
  std::chrono::sys_time<std::chrono::nanoseconds> time;
};

struct RetentionDecision {
  struct Kept {
    SnapshotRef snapshot;
    std::vector<std::string> reasons;  // "last", "daily 2026-11-21", ...
  };
  std::vector<Kept> keep;           // newest first
  std::vector<SnapshotRef> remove;  // newest first
};

// Applies `policy` to one group of snapshots (same host and paths, or same backup policy).
Result<RetentionDecision> ApplyRetention(std::vector<SnapshotRef> snapshots,
                                         const RetentionPolicy& policy,
                                         const std::string& time_zone = "UTC");

}  // namespace failsafe::backup
