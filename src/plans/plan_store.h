#pragma once
// Storage of plans and their versions (tables `plans`, `plan_versions`; schema.cc) and the
// version lifecycle. Every function runs inside the caller's transaction, so the route can
// append the audit entry in the same one. A version's content is kept as its canonical YAML
// (plan_yaml.h) and never changes after insert; only lifecycle columns move.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "plans/plan.h"
#include "store/store.h"

namespace failsafe::plans {

// Stores `content` (from ParsePlanYaml) as a new draft version of its key: version 1 for a
// new key, else the key's latest + 1. Returns the stored version (id, plan_id, version,
// status, created_* filled).
Result<PlanVersion> InsertDraft(store::Tx& tx, PlanVersion content, int64_t now,
                                const std::string& actor);

// Version `version` of `key`, or its latest when nullopt, with the full content.
// kNotFound naming the key (and version) when absent.
Result<PlanVersion> LoadByKey(store::Tx& tx, std::string_view key, std::optional<int> version);

// Every version of `key`, oldest first, lifecycle fields only (no content). kNotFound.
Result<std::vector<PlanVersion>> ListVersions(store::Tx& tx, std::string_view key);

// One row of the plan list.
struct PlanSummary {
  int64_t plan_id = 0;
  std::string key, title_en, title_zh, owner;
  int latest_version = 0;
  std::string latest_status;
  int approved_version = 0;     // 0: none approved
  int64_t next_review_at = 0;   // of the approved version; 0: none
  bool review_overdue = false;  // approved, and next_review_at has passed
};

// Plans ordered by id after `after_id`, at most `limit`. With `overdue_at`, only plans whose
// approved version's review date is at or before it.
Result<std::vector<PlanSummary>> ListPlans(store::Tx& tx, std::optional<int64_t> after_id,
                                           int limit, int64_t now, bool only_overdue);

// Lifecycle moves. `version` nullopt picks the default named per call. Each returns the
// version after the move; kConflict (naming the status) when the move is not allowed.
//   Submit:  draft -> in_review (default: the latest version).
//   Approve: draft | in_review -> approved (default: the latest version); the previously
//            approved version, if any, becomes retired (its number in *retired_version).
//            next_review_at becomes the source's review.next when that is still ahead, else
//            now + review interval.
//   Retire:  draft | in_review | approved -> retired (default: the approved version, else
//            the latest).
Result<PlanVersion> SubmitVersion(store::Tx& tx, std::string_view key, std::optional<int> version,
                                  int64_t now, const std::string& actor);
Result<PlanVersion> ApproveVersion(store::Tx& tx, std::string_view key, std::optional<int> version,
                                   int64_t now, const std::string& actor, int* retired_version);
Result<PlanVersion> RetireVersion(store::Tx& tx, std::string_view key, std::optional<int> version,
                                  int64_t now, const std::string& actor);
// The periodic review found the approved version still right: its next review moves to now +
// review interval (the version itself does not change; a changed plan is a new version).
// Conflict when `version` (default: the approved one) is not approved.
Result<PlanVersion> MarkReviewed(store::Tx& tx, std::string_view key, std::optional<int> version,
                                 int64_t now);

}  // namespace failsafe::plans
