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

// The whole incident: the summary fields plus roles, checklist, timeline, status updates.
struct IncidentDetail {
  Incident incident;
  std::vector<RoleAssignment> roles;
  std::vector<ChecklistItem> checklist;
  std::vector<TimelineEvent> timeline;
  std::vector<StatusUpdate> updates;
  std::vector<Timer> timers;
};
Result<IncidentDetail> LoadDetail(store::Tx& tx, const Incident& incident);
boost::json::object DetailJson(const IncidentDetail& d);

// The timeline as a Markdown document (for the postmortem, chat, or a printout).
std::string TimelineMarkdown(const IncidentDetail& d);

// JSON Schemas for route docs.
boost::json::value IncidentSchema();
boost::json::value DetailSchema();

}  // namespace failsafe::incidents
