#pragma once
// The catalog's public API for other modules (incidents, notify, plans, watch, backup): read the
// protected services, the people and who is on call, the severity policy and the escalation
// policies. Every function runs inside the caller's transaction (read or write) and never
// commits or rolls back on its own; a store failure comes back as the store's Status.
//
// "Not there" is a value (nullopt / empty vector), not an error: callers decide whether a
// missing key is a 404 or a 400 for their own input.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace failsafe::catalog {

// Who is told, the one vocabulary of audiences: a severity's `audiences`, a channel's
// `audiences` (notify/channel.cc) and a status update's `audience` all use these words.
//   internal    responders and the rest of the company (was: all-hands, on-call-team,
//               service-owner before migration 161)
//   customers   customers and the public status page (was: key-customers)
//   leadership  management
inline constexpr std::array<std::string_view, 3> kAudiences = {"internal", "customers",
                                                               "leadership"};

// Someone to call about a service: an internal engineer or an external resource (vendor support
// line, security firm, lawyer). `kind` is "internal" or "external".
struct Contact {
  std::string kind;
  std::string name, organisation, role, phone, email, notes;
};

struct Service {
  int64_t id = 0;
  std::string key, name, tier, group;  // tier: critical|high|medium|low; group: status page
  std::optional<int64_t> owner_team_id;
  int64_t rto_ms = 0, rpo_ms = 0;
  std::vector<std::string> depends_on;  // service keys, sorted
  std::vector<Contact> contacts;        // in the order they were given
  std::string owner_team_key;           // "" when no owner team
};

struct Person {
  int64_t id = 0;
  std::string handle, name, language, email, phone, dingtalk_user_id, feishu_user_id, wecom_user_id;
  std::optional<int64_t> user_id;  // the login user, when the person has one
};

struct SeverityLevel {
  std::string level;  // "P1".."P4"
  int rank = 0;       // 1 is the most severe
  std::string name_zh, name_en, criteria_zh, criteria_en;
  int64_t ack_target_ms = 0, update_cadence_ms = 0, resolve_target_ms = 0;
  std::vector<std::string> audiences;  // from kAudiences, e.g. {"internal", "leadership"}
  std::optional<int64_t> escalation_policy_id;
  std::string escalation_policy_key;  // "" when none
};

// One recipient of an escalation level. `type` is person|schedule|team (then `id` is that
// row's id) or role (then `role` is an incident role key such as "commander", resolved by the
// incidents module; `id` is 0).
struct EscalationTarget {
  std::string type;
  int64_t id = 0;
  std::string role;
  std::string key;  // the handle / schedule key / team key of `id`, for display
};

struct EscalationLevel {
  int64_t delay_ms = 0;  // wait this long after the previous level (or the start) before paging
  std::vector<EscalationTarget> targets;
};

struct EscalationPolicy {
  int64_t id = 0;
  std::string key, name;
  int repeat = 0;  // how many more times the whole sequence runs when nobody acknowledges
  std::vector<EscalationLevel> levels;
};

Result<std::optional<Service>> FindServiceByKey(store::Tx& tx, std::string_view key);
Result<std::optional<Service>> FindServiceById(store::Tx& tx, int64_t id);

Result<std::optional<Person>> FindPersonById(store::Tx& tx, int64_t id);
Result<std::optional<Person>> FindPersonByHandle(store::Tx& tx, std::string_view handle);
Result<std::optional<Person>> FindPersonByUserId(store::Tx& tx, int64_t user_id);

// `level` is "P1".."P4" (exact spelling).
Result<std::optional<SeverityLevel>> FindSeverity(store::Tx& tx, std::string_view level);
// All levels, most severe first.
Result<std::vector<SeverityLevel>> ListSeverities(store::Tx& tx);

Result<std::optional<EscalationPolicy>> FindPolicyById(store::Tx& tx, int64_t id);
Result<std::optional<EscalationPolicy>> FindPolicyByKey(store::Tx& tx, std::string_view key);

// People a level pages at `at_ms`: persons, the on-call person of schedules, team members.
// Targets of type "role" are skipped (the incidents module resolves them). Each person appears
// once, in target order. A schedule nobody covers at `at_ms` contributes nobody.
Result<std::vector<Person>> ResolveLevel(store::Tx& tx, const EscalationLevel& level,
                                         int64_t at_ms);

// Who is on call on schedule `schedule_id` at `at_ms` (Unix ms): the override covering that
// instant if any, else the rotation's person. Empty when the schedule does not exist, has not
// started yet, or has nobody in its rotation.
Result<std::vector<Person>> OnCallAt(store::Tx& tx, int64_t schedule_id, int64_t at_ms);

}  // namespace failsafe::catalog
