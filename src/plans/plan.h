#pragma once
// The emergency plan (预案) model and the calls other modules (incidents, notify, postmortems)
// make on it. A plan has a key and numbered versions; each version carries the whole content
// and its own status: draft -> in_review -> approved -> retired. At most one version per key
// is approved at a time (approving one retires the previously approved one); only the
// approved version can be activated by an incident. Versions are immutable once stored, so a
// running incident that recorded a plan_version_id keeps seeing exactly what it activated.
//
// Localised texts are stored as an _en/_zh pair; when the source gave only one language (or a
// plain string) both fields hold the same text, so readers never need a fallback of their own.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "plans/template.h"
#include "store/store.h"

namespace failsafe::plans {

// Status of one version.
inline constexpr std::string_view kStatusDraft = "draft";
inline constexpr std::string_view kStatusInReview = "in_review";
inline constexpr std::string_view kStatusApproved = "approved";
inline constexpr std::string_view kStatusRetired = "retired";

// A situation the plan covers and when to activate it.
struct PlanScenario {
  std::string key;
  std::string type;  // hardware|network|software_defect|human_error|natural_disaster|
                     // malicious_attack|other
  std::string title_en, title_zh;
  std::string criteria_en, criteria_zh;  // activation criteria, Markdown
  std::string default_severity;          // P1..P4
};

struct PlanRole {
  std::string key;  // commander, tech_support, business_coordinator, comms_liaison, logistics...
  std::string name_en, name_zh, responsibilities_en, responsibilities_zh;
};

// One checklist step. `phase` is one of report|assess|respond|communicate|recover|verify;
// `role` is the key of a declared PlanRole. Steps keep the order of the source.
struct PlanStep {
  std::string key, phase, role, title_en, title_zh, instructions_en, instructions_zh;
  int64_t expected_duration_ms = 0;
  bool required = true;
};

// A communication template: stage investigating|identified|monitoring|resolved, audience
// internal|customers|leadership, language "en" or "zh-CN". `title` and `body` use the
// {{variable}} syntax of template.h (checked at import).
struct PlanTemplate {
  std::string stage, audience, language, title, body;
};

// A recovery or verification item (not role-bound; the steps carry the roles).
struct PlanCheck {
  std::string key, title_en, title_zh, instructions_en, instructions_zh;
};

// Someone outside the team to call: vendor support line, security firm, lawyer.
struct PlanContact {
  std::string name, organization, purpose_en, purpose_zh, phone, email, notes_en, notes_zh;
};

struct PlanVersion {
  int64_t id = 0;       // plan_versions.id: what an incident records
  int64_t plan_id = 0;  // plans.id
  std::string key;
  int version = 0;  // 1, 2, ... per key
  std::string status, title_en, title_zh, owner;
  std::vector<std::string> services;  // service keys, stored as given
  std::vector<PlanRole> roles;
  std::vector<PlanStep> steps;
  std::vector<PlanTemplate> templates;
  std::string fallback_md_en, fallback_md_zh;
  // Plan-level description (Markdown).
  std::string summary_en, summary_zh;
  std::vector<PlanScenario> scenarios;
  // What the team works with while the primary tool is down, and where its offline pack is.
  std::string fallback_tool_en, fallback_tool_zh, fallback_location;
  std::vector<PlanCheck> recovery;
  std::vector<PlanCheck> verification;
  std::vector<PlanContact> contacts;
  // Review cycle: every `review_interval_days`; `next_review_at` (Unix ms, 0 = not set) is
  // set from the source or, at approval, to approval time + interval.
  int review_interval_days = 0;
  int64_t next_review_at = 0;
  // Lifecycle record (Unix ms, 0 = not yet; *_by = username).
  int64_t created_at = 0, submitted_at = 0, approved_at = 0, retired_at = 0;
  std::string created_by, submitted_by, approved_by, retired_by;
};

// The approved version of `key`, nullopt when the plan exists but none is approved;
// kNotFound when no plan has that key. Runs inside the caller's transaction.
Result<std::optional<PlanVersion>> ApprovedVersion(store::Tx& tx, std::string_view key);

// One version by its id (plan_versions.id), whatever its status; kNotFound when none.
Result<PlanVersion> LoadVersion(store::Tx& tx, int64_t plan_version_id);

// Finds the template for stage/audience/language; when that language has none, the same
// stage/audience in the other language. nullptr when neither exists. The pointer is into
// `plan` and lives as long as it.
const PlanTemplate* FindTemplate(const PlanVersion& plan, std::string_view stage,
                                 std::string_view audience, std::string_view language);

// The plan's own template variables for `language` ("en" or "zh-CN"): plan.key, plan.title,
// plan.version, fallback.tool, fallback.location. Callers add incident.* and the rest.
TemplateVars PlanTemplateVars(const PlanVersion& plan, std::string_view language);

// The role with `key`, nullptr when the plan does not declare it.
const PlanRole* FindRole(const PlanVersion& plan, std::string_view key);

}  // namespace failsafe::plans
