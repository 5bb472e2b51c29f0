#pragma once
// The postmortem model and its storage: the review written after an incident recovered, and
// its action items. Functions run inside the caller's transaction and never commit on their
// own; a store failure comes back as the store's Status. "Not there" is nullopt.
//
// One postmortem per incident (UNIQUE incident_id). Lists that are edited as a whole (root
// causes, went well/badly, step evaluations, free revision items, the timeline snapshot) are
// stored as JSON text columns; action items have their own table because they are tracked
// one by one and queried across postmortems (overdue).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace failsafe::postmortems {

// Status: draft -> in_review -> published (in_review may go back to draft).
inline constexpr std::string_view kDraft = "draft";
inline constexpr std::string_view kInReview = "in_review";
inline constexpr std::string_view kPublished = "published";

// Action item status: open | in_progress | done | cancelled.
inline constexpr std::string_view kActionOpen = "open";
inline constexpr std::string_view kActionInProgress = "in_progress";
inline constexpr std::string_view kActionDone = "done";
inline constexpr std::string_view kActionCancelled = "cancelled";

inline constexpr size_t kMaxWhys = 5;

// hardware, network, software_defect, human_error, natural_disaster, malicious_attack,
// process, vendor, other.
const std::vector<std::string_view>& RootCauseCategories();
bool IsRootCauseCategory(std::string_view category);

// worked | missing | wrong | not_used.
const std::vector<std::string_view>& StepVerdicts();
bool IsStepVerdict(std::string_view verdict);

bool IsActionStatus(std::string_view status);
// Open or in progress: still to be done.
inline bool IsActionPending(std::string_view status) {
  return status == kActionOpen || status == kActionInProgress;
}

struct RootCause {
  std::string category;
  std::string description;
  std::vector<std::string> whys;  // the "five whys" chain, at most kMaxWhys, in order
};

// The verdict on one checklist step of the plan version that ran.
struct StepEvaluation {
  std::string step_key;
  int position = 0;
  std::string phase, role, title;
  bool done = false;    // was it ticked during the incident
  std::string verdict;  // one of StepVerdicts()
  std::string comment;
};

// One line of the incident's timeline, copied into the postmortem.
struct TimelineEntry {
  int64_t at = 0;
  std::string actor, kind, text;
};

struct Postmortem {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string incident_ref;  // "INC-2026-0042", copied at creation for listing
  std::string title;
  std::string status;  // draft | in_review | published
  std::string summary;
  std::string impact;  // free text: what the business could not do
  std::vector<std::string> impacted_services;
  std::string users_affected;                   // "about 300 engineers", or "300"
  std::optional<int64_t> users_affected_count;  // set when given as a number
  std::vector<RootCause> root_causes;
  std::vector<std::string> went_well, went_badly;
  std::vector<StepEvaluation> step_evaluations;
  std::vector<std::string> extra_revisions;  // free plan revision items
  std::vector<TimelineEntry> timeline;
  int64_t timeline_refreshed_at = 0;
  std::optional<int64_t> plan_version_id;
  std::string plan_key;
  int plan_version = 0;
  std::string created_by;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> published_at;
  std::string published_by;
};

struct ActionItem {
  int64_t id = 0;
  int64_t postmortem_id = 0;
  std::string title;
  std::string owner;     // a person handle or a username
  std::string due_date;  // "YYYY-MM-DD" (UTC day)
  std::string status;    // open | in_progress | done | cancelled
  std::string notes;
  std::string created_by;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> done_at;
  std::string incident_ref;  // filled by ListActions (joined), for cross-postmortem lists
};

Result<std::optional<Postmortem>> FindPostmortem(store::Tx& tx, int64_t id);
Result<std::optional<Postmortem>> FindPostmortemByIncident(store::Tx& tx, int64_t incident_id);
// Inserts `p` (id ignored) and returns the new id. kAlreadyExists when the incident already
// has a postmortem.
Result<int64_t> InsertPostmortem(store::Tx& tx, const Postmortem& p);
// Stores every mutable field of `p` (by p.id).
Status UpdatePostmortem(store::Tx& tx, const Postmortem& p);

struct PostmortemQuery {
  std::optional<std::string> status;
  std::optional<int64_t> before_id;  // page cursor, newest first
  int limit = 50;
};
Result<std::vector<Postmortem>> ListPostmortems(store::Tx& tx, const PostmortemQuery& q);

// Returns the new id.
Result<int64_t> InsertAction(store::Tx& tx, const ActionItem& a);
Status UpdateAction(store::Tx& tx, const ActionItem& a);
// The action `action_id` of postmortem `postmortem_id`; nullopt when it belongs elsewhere.
Result<std::optional<ActionItem>> FindAction(store::Tx& tx, int64_t postmortem_id,
                                             int64_t action_id);
// A postmortem's actions in the order they were added.
Result<std::vector<ActionItem>> LoadActions(store::Tx& tx, int64_t postmortem_id);

struct ActionQuery {
  // When set: only pending actions whose due date is before this day ("YYYY-MM-DD").
  std::optional<std::string> overdue_on;
  std::optional<std::string> status;
  std::optional<std::string> owner;
  std::optional<int64_t> after_id;  // page cursor, oldest first
  int limit = 50;
};
// Actions across postmortems, by due date then id when overdue_on is set, else by id.
Result<std::vector<ActionItem>> ListActions(store::Tx& tx, const ActionQuery& q);

// The UTC day of a Unix-ms time, "YYYY-MM-DD".
std::string UtcDay(int64_t unix_ms);
// True for a real calendar day written "YYYY-MM-DD".
bool IsIsoDate(std::string_view text);
// Midnight UTC of a "YYYY-MM-DD" day in Unix ms; nullopt when it is not a real day.
std::optional<int64_t> DayStartMillis(std::string_view day);

}  // namespace failsafe::postmortems
