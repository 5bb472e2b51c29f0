#pragma once
// The alerts a policy's state raises into the early-warning flow: BackupFailed (the newest run
// to a destination failed or left files out), BackupMissed (a scheduled run did not happen),
// RestoreDrillFailed (the newest drill failed). Labels: alertname, service, policy,
// destination (backups), severity from the service's tier. Pure functions.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backup/service/policy.h"
#include "backup/service/records.h"

namespace failsafe::backup::service {

struct BackupAlert {
  std::vector<std::pair<std::string, std::string>> labels;       // sorted by name
  std::vector<std::pair<std::string, std::string>> annotations;  // summary, description
  int64_t starts_at = 0;                                         // Unix ms
  bool firing = false;      // false: the condition is over (resolve it if it was raised)
  std::string Key() const;  // the label set as one string
};

// Where alerts go (app/ posts them to the alerts module).
using AlertSink = std::function<void(std::vector<BackupAlert>)>;

// critical -> P1, high -> P2, medium -> P3, anything else -> P4.
std::string SeverityForTier(const std::string& tier);

// One alert per destination (failed or missed backups) and one for the drill, each firing or
// not. `latest_runs`: the newest run per destination; `last_drill`: the newest drill.
std::vector<BackupAlert> PolicyAlerts(const Policy& policy, const std::string& tier,
                                      const std::vector<RunRecord>& latest_runs,
                                      const std::optional<DrillRecord>& last_drill);

}  // namespace failsafe::backup::service
