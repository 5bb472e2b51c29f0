#pragma once
// The incident model and its storage: one emergency from declaration to close. Functions run
// inside the caller's transaction; routes and the CLI go through incidents_module.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace failsafe::incidents {

// Lifecycle: declared -> acknowledged -> mitigating -> recovered -> verified -> closed.
// Mitigating is optional; recovered/verified/closed may be reopened (resolved by mistake).
inline constexpr std::string_view kDeclared = "declared";
inline constexpr std::string_view kAcknowledged = "acknowledged";
inline constexpr std::string_view kMitigating = "mitigating";
inline constexpr std::string_view kRecovered = "recovered";
inline constexpr std::string_view kVerified = "verified";
inline constexpr std::string_view kClosed = "closed";

struct RoleAssignment {
  std::string role;  // plan role key: commander, tech_support, ...
  std::string role_name;
  std::optional<int64_t> person_id;
  std::string person_handle;
  std::string person_name;
  int64_t assigned_at = 0;
};

struct ChecklistItem {
  int64_t id = 0;
  int position = 0;  // 1-based order in the plan
  std::string step_key, phase, role, title, instructions;
  int64_t expected_duration_ms = 0;
  bool required = true;
  std::optional<int64_t> done_at;
  std::string done_by;
  std::string note;
  // The person the step is assigned to (else whoever holds its role does it).
  std::optional<int64_t> assignee_id;
  std::string assignee_handle, assignee_name;
};

struct TimelineEvent {
  int64_t id = 0;
  int64_t at = 0;     // Unix ms
  std::string actor;  // username, person handle, or "system"
  // declared, status_changed, severity_changed, plan_activated, role_assigned, checklist,
  // step_assigned, note, status_update, notification, escalated, reminder, linked, merged, alert
  std::string kind;
  std::string text;    // one human line
  std::string detail;  // JSON object text
};

struct StatusUpdate {
  int64_t id = 0;
  int64_t at = 0;
  std::string author;
  std::string stage;     // investigating | identified | monitoring | resolved
  std::string audience;  // internal | customers | leadership
  std::string language;
  std::string title, body;
  bool external() const { return audience == "customers"; }
};

struct Incident {
  int64_t id = 0;
  std::string ref;  // "INC-2026-0042"
  std::string title;
  std::string severity;  // P1..P4
  std::string status;
  std::string summary;
  std::vector<std::string> services;  // service keys
  std::optional<int64_t> plan_version_id;
  std::string plan_key;
  int plan_version = 0;
  std::string declared_by;
  int64_t declared_at = 0;
  std::optional<int64_t> acknowledged_at, mitigating_at, recovered_at, verified_at, closed_at;
  std::optional<int64_t> merged_into_id;
  int64_t updated_at = 0;
};

// By numeric id or by ref ("INC-2026-0042"); nullopt when there is none.
Result<std::optional<Incident>> FindIncident(store::Tx& tx, std::string_view id_or_ref);
Result<std::optional<Incident>> FindIncidentById(store::Tx& tx, int64_t id);
Result<std::vector<RoleAssignment>> LoadRoles(store::Tx& tx, int64_t incident_id);
Result<std::vector<ChecklistItem>> LoadChecklist(store::Tx& tx, int64_t incident_id);
Result<std::vector<TimelineEvent>> LoadTimeline(store::Tx& tx, int64_t incident_id);
Result<std::vector<StatusUpdate>> LoadStatusUpdates(store::Tx& tx, int64_t incident_id);

struct IncidentQuery {
  // Any of these statuses ("open" stands for declared, acknowledged and mitigating); empty: all.
  std::vector<std::string> statuses;
  std::vector<std::string> severities;  // any of P1..P4; empty: all
  // Every whitespace-separated word must occur (case-insensitive) in the ref, the title or one
  // of the incident's service keys.
  std::optional<std::string> text;
  std::optional<std::string> service;  // service key
  std::optional<int64_t> since_ms;     // declared at or after
  std::optional<int64_t> until_ms;     // declared before
  std::optional<int64_t> before_id;    // page cursor (newest first)
  int limit = 50;
};
Result<std::vector<Incident>> ListIncidents(store::Tx& tx, const IncidentQuery& q);
// The words of a search text: split at ASCII whitespace and the full-width space U+3000.
std::vector<std::string> SearchWords(std::string_view text);

// The stored part of declaring: allocates the ref (per-year sequence), inserts the incident
// with its services and the "declared" timeline event. Plan activation, notifications and
// timers are the module's job (incidents_module.h).
struct NewIncident {
  std::string title;
  std::string severity;
  std::vector<std::string> services;
  std::string summary;
  std::string declared_by;
};
Result<Incident> InsertIncident(store::Tx& tx, const NewIncident& n, int64_t now_ms);

// Moves the incident to `status` and stamps the matching *_at column (no transition checks:
// see lifecycle.h for the rules). Appends a status_changed timeline event.
Status StoreStatus(store::Tx& tx, int64_t incident_id, std::string_view status, int64_t at,
                   std::string_view actor);

// Appends an event to the incident's timeline (used by other modules too, e.g. postmortems).
// `text` is for people reading English; `detail_json` carries the same facts for programs
// (the console shows them in the reader's language), by kind:
//   declared {severity, title}           status_changed {status}
//   plan_activated {plan, version}       role_assigned {role, role_name, person, person_name}
//   checklist {step, position, title, phase, role, done}
//   step_assigned {step, position, title, phase, role, person, person_name} (person "" when
//                 the assignment is cleared)
//   status_update {update_id, stage, audience}
//   severity_changed {from, to}          linked {other}      merged {into} | {merged, title}
//   escalated {level, round, paged[]}    reminder {minutes_since_update, reminded[]}
//   notification {notification_id, state, attempt, channel, channel_type, title, error} (a
//                delivery outcome; error only when there is one) | {state: queued, channels,
//                paged[]}
//   note {} (the text is the note)       postmortem {...} (see postmortems/review.cc)
//   alert {event: firing|resolved|muted, count, alerts[{fingerprint, alertname, labels,
//          startsAt, endsAt?, summary?, source?}] (at most 20), more, group, route}
//          (see watch/alerts/incident_bridge.cc)
Status AppendTimeline(store::Tx& tx, int64_t incident_id, int64_t at, std::string_view actor,
                      std::string_view kind, std::string_view text,
                      std::string_view detail_json = "{}");

}  // namespace failsafe::incidents
