#include "backup/service/alerts.h"

#include <algorithm>

namespace failsafe::backup::service {
namespace {

BackupAlert Make(std::vector<std::pair<std::string, std::string>> labels, std::string summary,
                 std::string description, int64_t starts_at, bool firing) {
  BackupAlert a;
  std::sort(labels.begin(), labels.end());
  a.labels = std::move(labels);
  a.annotations = {{"description", std::move(description)}, {"summary", std::move(summary)}};
  a.starts_at = starts_at;
  a.firing = firing;
  return a;
}

}  // namespace

std::string BackupAlert::Key() const {
  std::string k;
  for (const auto& [n, v] : labels) k += n + "=" + v + "\n";
  return k;
}

std::string SeverityForTier(const std::string& tier) {
  if (tier == "critical") return "P1";
  if (tier == "high") return "P2";
  if (tier == "medium") return "P3";
  return "P4";
}

std::vector<BackupAlert> PolicyAlerts(const Policy& policy, const std::string& tier,
                                      const std::vector<RunRecord>& latest_runs,
                                      const std::optional<DrillRecord>& last_drill) {
  const std::string severity = SeverityForTier(tier);
  std::vector<BackupAlert> out;
  for (const auto& d : policy.destinations) {
    const RunRecord* run = nullptr;
    for (const auto& r : latest_runs) {
      if (r.destination == d.url) run = &r;
    }
    const bool missed = run && run->status == kRunMissed;
    const bool failed = run && (run->status == kRunFailed || run->status == kRunIncomplete);
    auto labels = [&](const char* name) {
      return std::vector<std::pair<std::string, std::string>>{
          {"alertname", name},         {"destination", d.url}, {"policy", policy.name},
          {"service", policy.service}, {"severity", severity}, {"source", "backup"}};
    };
    const int64_t at = run ? run->started_at : 0;
    out.push_back(Make(labels("BackupFailed"),
                       "Backup of " + policy.service + " (policy " + policy.name + ") to " + d.url +
                           " " + (run ? run->status : std::string("ok")),
                       run ? run->errors : std::string(), at, failed));
    out.push_back(
        Make(labels("BackupMissed"),
             "Scheduled backup of " + policy.service + " (policy " + policy.name + ") was missed",
             run ? run->errors : std::string(), at, missed));
  }
  const bool drill_failed = last_drill && last_drill->status == kDrillFail;
  out.push_back(Make({{"alertname", "RestoreDrillFailed"},
                      {"policy", policy.name},
                      {"service", policy.service},
                      {"severity", severity},
                      {"source", "backup"}},
                     "Restore drill of " + policy.service + " (policy " + policy.name + ") failed",
                     last_drill ? last_drill->detail : std::string(),
                     last_drill ? last_drill->started_at : 0, drill_failed));
  return out;
}

}  // namespace failsafe::backup::service
