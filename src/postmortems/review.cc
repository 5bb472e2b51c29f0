#include "postmortems/review.h"

namespace failsafe::postmortems {
namespace {

std::vector<TimelineEntry> SnapshotOf(const std::vector<incidents::TimelineEvent>& events) {
  std::vector<TimelineEntry> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back({e.at, e.actor, e.kind, e.text});
  return out;
}

bool IsRecoveredOrLater(std::string_view status) {
  return status == incidents::kRecovered || status == incidents::kVerified ||
         status == incidents::kClosed;
}

}  // namespace

Result<Postmortem> CreateFromIncident(store::Tx& tx, std::string_view id_or_ref,
                                      std::string_view actor, int64_t now) {
  FS_ASSIGN_OR_RETURN(auto found, incidents::FindIncident(tx, id_or_ref));
  if (!found) {
    return Err(Status(ErrorCode::kNotFound, "incident " + std::string(id_or_ref) + " not found",
                      "incident"));
  }
  const incidents::Incident& incident = *found;
  if (incident.merged_into_id) {
    return Err(Conflict("incident " + incident.ref +
                        " was merged into another incident: write the postmortem there"));
  }
  if (!IsRecoveredOrLater(incident.status)) {
    return Err(Conflict("incident " + incident.ref + " is " + incident.status +
                        ": a postmortem starts once it has recovered"));
  }
  FS_ASSIGN_OR_RETURN(auto existing, FindPostmortemByIncident(tx, incident.id));
  if (existing) {
    return Err(Conflict("incident " + incident.ref + " already has postmortem " +
                        std::to_string(existing->id)));
  }
  FS_ASSIGN_OR_RETURN(auto timeline, incidents::LoadTimeline(tx, incident.id));
  FS_ASSIGN_OR_RETURN(auto checklist, incidents::LoadChecklist(tx, incident.id));

  Postmortem p;
  p.incident_id = incident.id;
  p.incident_ref = incident.ref;
  p.title = incident.title;
  p.status = std::string(kDraft);
  p.summary = incident.summary;
  p.impacted_services = incident.services;
  p.timeline = SnapshotOf(timeline);
  p.timeline_refreshed_at = now;
  p.plan_version_id = incident.plan_version_id;
  p.plan_key = incident.plan_key;
  p.plan_version = incident.plan_version;
  for (const auto& item : checklist) {
    StepEvaluation e;
    e.step_key = item.step_key;
    e.position = item.position;
    e.phase = item.phase;
    e.role = item.role;
    e.title = item.title;
    e.done = item.done_at.has_value();
    e.verdict = e.done ? "worked" : "not_used";
    p.step_evaluations.push_back(std::move(e));
  }
  p.created_by = std::string(actor);
  p.created_at = p.updated_at = now;
  FS_ASSIGN_OR_RETURN(p.id, InsertPostmortem(tx, p));
  FS_RETURN_IF_ERROR(NoteOnIncident(tx, p, now, actor, "postmortem started"));
  return p;
}

Status RefreshTimeline(store::Tx& tx, Postmortem& p, int64_t now) {
  if (p.status == kPublished) {
    return Conflict("postmortem " + std::to_string(p.id) +
                    " is published: its timeline no longer changes");
  }
  FS_ASSIGN_OR_RETURN_STATUS(auto timeline, incidents::LoadTimeline(tx, p.incident_id));
  p.timeline = SnapshotOf(timeline);
  p.timeline_refreshed_at = now;
  p.updated_at = now;
  return UpdatePostmortem(tx, p);
}

Status NoteOnIncident(store::Tx& tx, const Postmortem& p, int64_t now, std::string_view actor,
                      std::string_view text) {
  const std::string detail =
      "{\"postmortem_id\":" + std::to_string(p.id) + ",\"status\":\"" + p.status + "\"}";
  return incidents::AppendTimeline(tx, p.incident_id, now, actor, "postmortem", text, detail);
}

Result<PostmortemView> LoadView(store::Tx& tx, int64_t id, int64_t now) {
  FS_ASSIGN_OR_RETURN(auto p, FindPostmortem(tx, id));
  if (!p) return Err(NotFound("postmortem " + std::to_string(id) + " not found"));
  FS_ASSIGN_OR_RETURN(auto incident, incidents::FindIncidentById(tx, p->incident_id));
  if (!incident) {
    return Err(Internal("postmortem " + std::to_string(id) + " refers to missing incident " +
                        std::to_string(p->incident_id)));
  }
  PostmortemView v;
  FS_ASSIGN_OR_RETURN(v.severity, catalog::FindSeverity(tx, incident->severity));
  FS_ASSIGN_OR_RETURN(auto updates, incidents::LoadStatusUpdates(tx, incident->id));
  std::vector<int64_t> update_times;
  for (const auto& u : updates) update_times.push_back(u.at);
  v.measures = MeasureIncident(*incident, v.severity, update_times, now);
  FS_ASSIGN_OR_RETURN(v.actions, LoadActions(tx, id));
  v.revisions = ProposeRevisions(*p);
  v.today = UtcDay(now);
  v.postmortem = std::move(*p);
  v.incident = std::move(*incident);
  return v;
}

std::optional<int64_t> ImpactDurationMs(const incidents::Incident& incident) {
  if (!incident.recovered_at) return std::nullopt;
  return *incident.recovered_at - incident.declared_at;
}

}  // namespace failsafe::postmortems
