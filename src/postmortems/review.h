#pragma once
// The postmortem workflow on top of the storage: creating one from an incident, refreshing
// its timeline snapshot, and assembling everything a reader sees (the incident, measured
// times against the severity's targets, proposed plan revisions, action items). Functions run
// inside the caller's transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "incidents/incident.h"
#include "postmortems/measure.h"
#include "postmortems/postmortem.h"
#include "postmortems/revisions.h"
#include "store/store.h"

namespace failsafe::postmortems {

// Starts the postmortem of the incident `id_or_ref` (number or "INC-2026-0042"): copies the
// timeline, one step evaluation per checklist item (prefilled: "worked" when the step was
// ticked, "not_used" otherwise) and the impacted services, and notes it on the incident's
// timeline. kNotFound (field "incident") when there is no such incident; kConflict when the
// incident has not recovered yet, was merged into another, or already has a postmortem.
Result<Postmortem> CreateFromIncident(store::Tx& tx, std::string_view id_or_ref,
                                      std::string_view actor, int64_t now);

// Replaces the timeline snapshot with the incident's current timeline and stores it.
// kConflict once the postmortem is published (its record no longer changes).
Status RefreshTimeline(store::Tx& tx, Postmortem& p, int64_t now);

// Notes a status change of the postmortem on the incident's timeline.
Status NoteOnIncident(store::Tx& tx, const Postmortem& p, int64_t now, std::string_view actor,
                      std::string_view text);

struct PostmortemView {
  Postmortem postmortem;
  incidents::Incident incident;
  std::optional<catalog::SeverityLevel> severity;
  std::vector<Measure> measures;
  std::vector<RevisionProposal> revisions;
  std::vector<ActionItem> actions;
  std::string today;  // UTC day of `now`: actions due before it and pending are overdue
};

// kNotFound when there is no postmortem `id`.
Result<PostmortemView> LoadView(store::Tx& tx, int64_t id, int64_t now);

// Impact duration: from declaration to recovery (nullopt while not recovered).
std::optional<int64_t> ImpactDurationMs(const incidents::Incident& incident);

inline bool IsOverdue(const ActionItem& a, std::string_view today) {
  return IsActionPending(a.status) && a.due_date < today;
}

}  // namespace failsafe::postmortems
