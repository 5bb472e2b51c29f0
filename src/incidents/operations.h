#pragma once
// What people do to incidents, each in one write transaction with its timeline events, audit
// entry, outbox rows and timers: declare (optionally activating a plan), move along the
// lifecycle, assign roles, tick checklist steps, add notes, post status updates, change the
// severity, link or merge. Routes and the acknowledge link call these.
#include <optional>
#include <string>
#include <vector>

#include "incidents/context.h"
#include "incidents/incident.h"
#include "server/http_types.h"

namespace failsafe::incidents {

// Who acts: a request's caller (audited as such), or a named actor without a request (the
// acknowledge link, the system).
struct Actor {
  std::string name;
  const server::Request* request = nullptr;
};

struct DeclareInput {
  std::string title;
  std::string severity;
  std::vector<std::string> services;
  std::string summary;
  std::optional<std::string> plan;  // plan key
};
Result<Incident> Declare(IncidentsContext& ctx, const DeclareInput& in, const Actor& actor);
// The same inside the caller's write transaction (for IncidentsModule::DeclareIn).
Result<Incident> DeclareInTx(IncidentsContext& ctx, store::Tx& tx, const DeclareInput& in,
                             const Actor& actor);

// Activates the approved version of `plan_key` on an incident that has no plan yet.
Result<Incident> ActivatePlan(IncidentsContext& ctx, std::string_view id_or_ref,
                              std::string_view plan_key, const Actor& actor);

// ack | mitigate | resolve | verify | close | reopen (lifecycle.h), with an optional note.
Result<Incident> Transition(IncidentsContext& ctx, std::string_view id_or_ref,
                            std::string_view action, const std::string& note, const Actor& actor);
// Transition inside the caller's write transaction (for IncidentsModule::TransitionIn).
Result<Incident> TransitionInTx(IncidentsContext& ctx, store::Tx& tx, int64_t incident_id,
                                std::string_view action, const std::string& note,
                                const Actor& actor);
// The acknowledge link: consumes the token and acknowledges when still unacknowledged.
Result<Incident> AcknowledgeByLink(IncidentsContext& ctx, std::string_view token);

Result<RoleAssignment> AssignRole(IncidentsContext& ctx, std::string_view id_or_ref,
                                  std::string_view role, std::string_view person_handle,
                                  const Actor& actor);

// `step` is a step key or a 1-based position.
Result<ChecklistItem> CheckStep(IncidentsContext& ctx, std::string_view id_or_ref,
                                std::string_view step, bool done, const std::string& note,
                                const Actor& actor);

// Assigns the step (key or 1-based position) to the person with `person_handle`; an empty
// handle clears the assignment (whoever holds the step's role does it again).
Result<ChecklistItem> AssignStep(IncidentsContext& ctx, std::string_view id_or_ref,
                                 std::string_view step, std::string_view person_handle,
                                 const Actor& actor);

Result<TimelineEvent> AddNote(IncidentsContext& ctx, std::string_view id_or_ref,
                              const std::string& text, const Actor& actor);

struct UpdateInput {
  std::string stage;                       // investigating | identified | monitoring | resolved
  std::string audience;                    // internal | customers | leadership
  std::string language;                    // zh-CN | en (default: zh-CN)
  std::optional<std::string> title, body;  // free text; else the plan's template
  std::string message;                     // {{message}} in templates
  std::string eta;                         // {{eta}} in templates
};
Result<StatusUpdate> PostUpdate(IncidentsContext& ctx, std::string_view id_or_ref,
                                const UpdateInput& in, const Actor& actor);
// What PostUpdate would post now (template filled in), without storing or sending anything.
Result<StatusUpdate> PreviewUpdate(IncidentsContext& ctx, std::string_view id_or_ref,
                                   const UpdateInput& in, const Actor& actor);

Result<Incident> ChangeSeverity(IncidentsContext& ctx, std::string_view id_or_ref,
                                std::string_view severity, const Actor& actor);

// kind: "related" (both ways) or "merge" (`other` is closed as merged into this incident).
Status LinkIncidents(IncidentsContext& ctx, std::string_view id_or_ref, std::string_view other,
                     std::string_view kind, const Actor& actor);

}  // namespace failsafe::incidents
