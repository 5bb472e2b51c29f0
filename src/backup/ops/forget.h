#pragma once
// Forget: applies retention rules to the snapshots, grouped by host and paths (a policy's
// snapshots carry its tag, so each policy is judged on its own history), and removes the
// snapshots no rule keeps. Removing a snapshot file frees nothing by itself: prune then
// removes the data no remaining snapshot needs.
#include <string>
#include <vector>

#include "backup/format/snapshot.h"
#include "backup/ops/retention.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

struct ForgetOptions {
  RetentionPolicy policy;
  std::string time_zone = "UTC";
  std::string host;               // only this host's snapshots; empty: all
  std::vector<std::string> tags;  // only snapshots with all of these tags
  bool dry_run = false;
};

struct ForgetGroup {
  std::string host;
  std::vector<std::string> paths;
  std::vector<std::pair<RetentionDecision::Kept, Snapshot>> keep;
  std::vector<std::pair<SnapshotRef, Snapshot>> remove;
};

Result<std::vector<ForgetGroup>> RunForget(Repository& repo, const ForgetOptions& options);

}  // namespace failsafe::backup
