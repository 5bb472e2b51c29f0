#pragma once
// The routing file (docs/watch/alerts.md): which alerts become which incidents. Routes are
// tried in order; the first whose matchers all match takes the alert, else the default route.
// A route names the incident's service, severity and plan (each may come from the alert's
// labels instead) and how its alerts are grouped and timed; inhibition rules mute target
// alerts while a source alert with the same `equal` labels fires.
//
//   defaults: {group_by: [service], group_wait: 30s, group_interval: 5m, repeat_interval: 4h,
//              resolve_incident: true}
//   resolve_timeout: 5m
//   routes:
//     - name: jira-down
//       matchers: ['service="jira"', 'severity=~"P1|critical"']
//       service: jira
//       severity: P1
//       plan: jira-outage
//   inhibit_rules:
//     - {source_matchers: ['severity="P1"'], target_matchers: ['severity=~"P3|P4"'],
//        equal: [service]}
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/alerts/matcher.h"

namespace failsafe::watch::alerts {

struct Route {
  std::string name = "default";  // also the receiver name in the Alertmanager API
  Matchers matchers;
  std::string service;   // empty: the alert's `service` label
  std::string severity;  // empty: from the alert's `severity` label (IncidentSeverity)
  std::string plan;      // empty: declare without a plan
  std::vector<std::string> group_by = {"service"};
  int64_t group_wait_ms = 30'000;
  int64_t group_interval_ms = 5 * 60'000;
  int64_t repeat_interval_ms = 4 * 3600'000;
  bool resolve_incident = true;  // all alerts resolved -> incident to recovered (never closed)
  bool declare = true;           // false: only attach to an open incident of the service
};

struct InhibitRule {
  Matchers source, target;
  std::vector<std::string> equal;
};

struct RoutingConfig {
  std::vector<Route> routes;
  Route fallback;
  std::vector<InhibitRule> inhibit_rules;
  int64_t resolve_timeout_ms = 5 * 60'000;
  std::string original;  // the file's text (GET /api/v2/status shows it)

  const Route& RouteFor(const Labels& labels) const;
  std::vector<std::string> ReceiverNames() const;
};

// kInvalidArgument "FILE:LINE: key: message" for bad YAML, unknown keys, bad matchers,
// durations or severities.
Result<RoutingConfig> ParseRoutingConfig(std::string_view yaml_text, const std::string& file);

// The incident severity for an alert severity label: P1..P4 as they are; critical/page -> P2,
// error/warning -> P3, info/none/missing -> P4... see the docs' table.
std::string IncidentSeverity(std::string_view alert_severity);

}  // namespace failsafe::watch::alerts
