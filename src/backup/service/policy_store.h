#pragma once
// Storage of policies (secrets sealed with the SecretBox, bound to the policy's id), runs,
// drills and the scheduler's last-due times. Each function runs in the caller's transaction.
#include <optional>
#include <string>
#include <vector>

#include "auth/secret_box.h"
#include "backup/service/policy.h"
#include "backup/service/records.h"
#include "store/store.h"

namespace failsafe::backup::service {

// Inserts or replaces the policy of the same name. Destinations that come without secrets keep
// the stored secrets of the same URL. Returns the stored policy (with its id) and whether it
// was created.
Result<std::pair<Policy, bool>> UpsertPolicy(store::Tx& tx, const auth::SecretBox& box,
                                             Policy policy, int64_t now_ms);
Result<std::optional<Policy>> FindPolicy(store::Tx& tx, const auth::SecretBox& box,
                                         const std::string& name);
Result<std::optional<Policy>> FindPolicyById(store::Tx& tx, const auth::SecretBox& box, int64_t id);
// Every policy, by name. Secrets are opened too (the scheduler needs them).
Result<std::vector<Policy>> ListPolicies(store::Tx& tx, const auth::SecretBox& box);
// False when there was no such policy.
Result<bool> DeletePolicy(store::Tx& tx, const std::string& name);

Result<int64_t> InsertRun(store::Tx& tx, const RunRecord& run);
Result<int64_t> InsertDrill(store::Tx& tx, const DrillRecord& drill);
// Newest first; `policy_id` 0: every policy. At most `limit`.
Result<std::vector<RunRecord>> ListRuns(store::Tx& tx, int64_t policy_id, int limit);
Result<std::vector<DrillRecord>> ListDrills(store::Tx& tx, int64_t policy_id, int limit);
// The newest run per destination of a policy.
Result<std::vector<RunRecord>> LatestRunPerDestination(store::Tx& tx, int64_t policy_id);
// The newest run of a service with status ok or incomplete (a snapshot was saved).
Result<std::optional<RunRecord>> LastGoodRun(store::Tx& tx, const std::string& service_key);
Result<std::optional<RunRecord>> LastGoodRunTo(store::Tx& tx, int64_t policy_id,
                                               const std::string& destination);
Result<std::optional<DrillRecord>> LastDrill(store::Tx& tx, int64_t policy_id);
Result<std::optional<DrillRecord>> LastPassedDrill(store::Tx& tx, const std::string& service_key);

// kind: "backup", "full", "drill". nullopt: never recorded.
Result<std::optional<int64_t>> LastDue(store::Tx& tx, int64_t policy_id, const std::string& kind);
Status SetLastDue(store::Tx& tx, int64_t policy_id, const std::string& kind, int64_t due_ms);

}  // namespace failsafe::backup::service
