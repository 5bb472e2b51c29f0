#pragma once
// Why an alert is muted: silences, inhibition (a firing source alert with the same `equal`
// labels mutes matching targets: a P1 on a service mutes its P3s) and maintenance windows.
// One "muter" idea, as in Alertmanager; computed when needed, never stored.
#include <string>
#include <unordered_map>
#include <vector>

#include "watch/alerts/live_alerts.h"
#include "watch/alerts/maintenance.h"
#include "watch/alerts/routing_config.h"
#include "watch/alerts/silences.h"

namespace failsafe::watch::alerts {

struct MuteState {
  std::vector<std::string> silenced_by;   // silence ids
  std::vector<std::string> inhibited_by;  // fingerprints of the inhibiting alerts
  std::optional<int64_t> maintenance_id;  // the maintenance window of the alert's service
  bool muted() const {
    return !silenced_by.empty() || !inhibited_by.empty() || maintenance_id.has_value();
  }
};

// The inhibition picture of one moment: for each rule, the `equal` label values of firing
// source alerts. Build once per flush or API call (one pass over the live alerts).
class Inhibitor {
 public:
  Inhibitor(const std::vector<InhibitRule>& rules, const LiveAlerts& live, int64_t now_ms);
  std::vector<std::string> InhibitedBy(const Alert& alert) const;

 private:
  const std::vector<InhibitRule>& rules_;
  // Per rule: joined equal-label values -> fingerprint of one source alert.
  std::vector<std::unordered_map<std::string, uint64_t>> sources_;
};

struct Muters {
  const Silences& silences;
  const MaintenanceWindows& maintenance;
  const Inhibitor& inhibitor;
  MuteState StateOf(const Alert& alert, std::string_view service, int64_t now_ms) const;
};

}  // namespace failsafe::watch::alerts
