#pragma once
// The JSON and Markdown shapes of incidents, shared by the routes and the exports.
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "incidents/incident.h"
#include "incidents/timers.h"

namespace failsafe::incidents {

boost::json::object IncidentJson(const Incident& i);
boost::json::object RoleJson(const RoleAssignment& r);
boost::json::object ChecklistJson(const ChecklistItem& c);
boost::json::object TimelineJson(const TimelineEvent& e);
boost::json::object UpdateJson(const StatusUpdate& u);
boost::json::object TimerJson(const Timer& t);

// A related or merged incident, as seen from the incident that shows it.
struct LinkedIncident {
  std::string ref, title, severity, status;
  std::string kind;  // "related" or "merged"
  int64_t linked_at = 0;
};

// The whole incident: the summary fields plus roles, checklist, timeline, status updates,
// pending timers, linked incidents, and the lifecycle actions its status allows.
struct IncidentDetail {
  Incident incident;
  std::vector<RoleAssignment> roles;
  std::vector<ChecklistItem> checklist;
  std::vector<TimelineEvent> timeline;
  std::vector<StatusUpdate> updates;
  std::vector<Timer> timers;
  std::vector<LinkedIncident> links;
};
Result<IncidentDetail> LoadDetail(store::Tx& tx, const Incident& incident);
boost::json::object DetailJson(const IncidentDetail& d);

// The timeline as a Markdown document (for the postmortem, chat, or a printout).
std::string TimelineMarkdown(const IncidentDetail& d);

// JSON Schemas for route docs.
boost::json::value IncidentSchema();
boost::json::value DetailSchema();

}  // namespace failsafe::incidents
