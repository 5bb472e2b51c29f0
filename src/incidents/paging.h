#pragma once
// Who gets told what: the messages an incident sends (declared, pages and escalations, update
// reminders, status updates) and the one-tap acknowledge links they carry. Every function
// runs inside the caller's write transaction; outbox rows commit with the change that caused
// them.
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "incidents/context.h"
#include "incidents/incident.h"
#include "incidents/timers.h"
#include "notify/outbox.h"

namespace failsafe::incidents {

// Creates a single-use acknowledge link valid for settings.ack_link_ttl; returns its URL.
// Only the token's SHA-256 is stored.
Result<std::string> NewAckLink(IncidentsContext& ctx, store::Tx& tx, int64_t incident_id,
                               std::optional<int64_t> person_id, int64_t now_ms);
// Consumes a token: the incident it acknowledges, or kNotFound (unknown, used or expired:
// one message for all three, so tokens are not an oracle).
Result<int64_t> UseAckToken(store::Tx& tx, std::string_view token, int64_t now_ms);

// The "declared" announcement to the internal channels, paging `people` (mentions, email).
Status AnnounceDeclared(IncidentsContext& ctx, store::Tx& tx, const Incident& incident,
                        const std::vector<catalog::Person>& people, int64_t now_ms);

// Pages level `level` of round `round` of the incident's escalation policy and schedules the
// next step. Used by the timer and at declaration (level 0 without delay).
Status FireEscalation(IncidentsContext& ctx, store::Tx& tx, const Timer& timer, int64_t now_ms);
// Reminds the commander when no status update was posted within the severity's cadence;
// schedules the next check.
Status FireUpdateReminder(IncidentsContext& ctx, store::Tx& tx, const Timer& timer, int64_t now_ms);

// Starts the timers of a freshly declared incident: escalation (when its severity has a
// policy) and update reminders (when the severity has a cadence). With `page_at_once`, a level
// 0 without delay is not scheduled: its people are returned for the caller's announcement to
// page. Otherwise every level, even one due now, is paged by its timer.
Result<std::vector<catalog::Person>> StartTimers(IncidentsContext& ctx, store::Tx& tx,
                                                 const Incident& incident, int64_t now_ms,
                                                 bool page_at_once);

// People of one escalation level, including incident roles ("commander").
Result<std::vector<catalog::Person>> LevelPeople(store::Tx& tx, const Incident& incident,
                                                 const catalog::EscalationLevel& level,
                                                 int64_t now_ms);

// Adds mentions and email recipients for `people` to a notification.
void AddRecipients(notify::Notification& n, const std::vector<catalog::Person>& people);

// Fills the scope of a notification from the incident (services, severity).
notify::Notification IncidentNotification(const Incident& incident, std::string key,
                                          std::string kind, std::string audience);

}  // namespace failsafe::incidents
