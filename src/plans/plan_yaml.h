#pragma once
// Plans as code: the YAML format of docs/plans-yaml.md. ParsePlanYaml validates a whole plan
// and reports the first problem with the file's line and the field's path
// ("pm-system-outage.yaml:42: steps[3].role: unknown role 'dba' (declared: commander, ...)");
// EmitPlanYaml writes the canonical form, which parses back to the same content.
// Pure functions; thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "plans/plan.h"

namespace failsafe::plans {

// Largest YAML document accepted (bytes).
inline constexpr size_t kMaxPlanYamlBytes = 1 << 20;

struct ParseOptions {
  // Reject template variables outside KnownTemplateVariables(). Off when reading back stored
  // versions, so a plan approved under an older variable set still loads.
  bool check_template_variables = true;
};

// Parses the content fields of a plan (key, titles, owner, services, review, scenarios, roles,
// steps, templates, fallback, recovery, verification, contacts). Identity and lifecycle
// fields (id, plan_id, version, status, *_at, *_by) are left empty. `file_name` prefixes error
// messages. InvalidArgument (message "FILE:LINE: FIELD: problem", field FIELD) on any problem.
Result<PlanVersion> ParsePlanYaml(std::string_view text, std::string_view file_name,
                                  const ParseOptions& options = {});

// The canonical YAML of `plan`'s content (not its lifecycle fields).
std::string EmitPlanYaml(const PlanVersion& plan);

// The roles a plan gets when its YAML declares none: commander, tech_support,
// business_coordinator, comms_liaison, logistics (names and duties in both languages).
const std::vector<PlanRole>& DefaultRoles();

// The allowed values, in their documented order.
const std::vector<std::string>& ScenarioTypes();
const std::vector<std::string>& StepPhases();
const std::vector<std::string>& TemplateStages();
const std::vector<std::string>& TemplateAudiences();
const std::vector<std::string>& TemplateLanguages();  // "en", "zh-CN"

}  // namespace failsafe::plans
