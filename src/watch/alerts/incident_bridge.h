#pragma once
// From alert group to incident: one flush of one group. In a single write transaction it
// finds the incident the group feeds (the durable routing decision, table
// alert_group_incidents), or attaches to the open incident of the group's service, or
// declares one with the route's plan through the incidents module; writes the alert events
// (firing, resolved, silenced...) on the incident's timeline as kind "alert"; and, when every
// alert of the group has resolved, moves the incident to recovered if the route says so
// (never further: verifying and closing are people's work). Notifications follow from the
// declaration through the plan and the outbox.
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "base/result.h"
#include "incidents/incidents_module.h"
#include "watch/alerts/groups.h"
#include "watch/alerts/live_alerts.h"
#include "watch/alerts/muting.h"

namespace failsafe::watch::alerts {

struct FlushResult {
  MemberStates reported;               // for Groups::Reported
  std::optional<int64_t> incident_id;  // the incident the group feeds, if any
  bool declared = false;               // a new incident was declared
  int64_t next_expiry = 0;  // earliest endsAt of a firing member (0: none), to look again
};

class IncidentBridge {
 public:
  IncidentBridge(store::Store& store, incidents::IncidentsModule& incidents)
      : store_(store), incidents_(incidents) {}

  // Errors are the store's (the group is retried at its next flush).
  Result<FlushResult> Flush(const GroupView& group, const LiveAlerts& live, const Muters& muters,
                            int64_t now_ms);

 private:
  store::Store& store_;
  incidents::IncidentsModule& incidents_;
};

// The service an alert of `route` belongs to: the route's, else the alert's `service` label.
std::string_view ServiceOf(const Route& route, const Labels& labels);

}  // namespace failsafe::watch::alerts
