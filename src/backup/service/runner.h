#pragma once
// Runs what a policy asks, against real repositories: a backup (sources staged once, then
// saved to every destination, retention applied after each good save) and a restore drill
// (the latest snapshot restored into a scratch directory with every byte verified, timed and
// projected against the RTO). Returns records; the caller stores them. No store access here.
#include <functional>
#include <string>
#include <vector>

#include "backup/ops/progress.h"
#include "backup/repo/repository.h"
#include "backup/service/policy.h"
#include "backup/service/records.h"
#include "base/clock.h"

namespace failsafe::backup::service {

struct RunnerSettings {
  std::string work_dir;           // staging and drill scratch directories go below it
  std::string store_sqlite_path;  // failsafe's own store (a `store` source); empty: PostgreSQL
  const Clock* clock = nullptr;   // SystemClock when null
  // Argon2 cost when a destination with `init: true` is created (tests lower it).
  uint64_t argon2_opslimit = 3;
  uint64_t argon2_memlimit = 64ull << 20;
};

// Called with the destination being worked on and its progress, for the API.
using ProgressHook = std::function<void(const std::string& destination, const Progress*)>;

// One record per destination, in the policy's order. `trigger` and `scheduled_for` are copied
// into the records.
std::vector<RunRecord> RunPolicyBackup(const Policy& policy, const RunnerSettings& settings,
                                       bool full, const std::string& trigger, int64_t scheduled_for,
                                       const ProgressHook& hook = {});

// Restores the newest snapshot of the policy from the first destination that has one.
// `rto_ms` 0: the service has no RTO (the drill passes on verification alone and says so).
DrillRecord RunPolicyDrill(const Policy& policy, const RunnerSettings& settings, int64_t rto_ms,
                           const std::string& trigger, const ProgressHook& hook = {});

// Opens (or, with `init` and a missing repository, creates) a destination's repository.
Result<std::unique_ptr<Repository>> OpenDestination(const Destination& d,
                                                    const RunnerSettings& settings);

}  // namespace failsafe::backup::service
