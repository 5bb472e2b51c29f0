// The model helpers of plan.h (ApprovedVersion and LoadVersion live in plan_store.cc).
#include "plans/plan.h"

namespace failsafe::plans {

const PlanTemplate* FindTemplate(const PlanVersion& plan, std::string_view stage,
                                 std::string_view audience, std::string_view language) {
  const PlanTemplate* other = nullptr;
  for (const auto& t : plan.templates) {
    if (t.stage != stage || t.audience != audience) continue;
    if (t.language == language) return &t;
    if (other == nullptr) other = &t;
  }
  return other;
}

const PlanRole* FindRole(const PlanVersion& plan, std::string_view key) {
  for (const auto& r : plan.roles) {
    if (r.key == key) return &r;
  }
  return nullptr;
}

TemplateVars PlanTemplateVars(const PlanVersion& plan, std::string_view language) {
  const bool zh = language == "zh-CN";
  return {
      {"plan.key", plan.key},
      {"plan.title", zh ? plan.title_zh : plan.title_en},
      {"plan.version", std::to_string(plan.version)},
      {"fallback.tool", zh ? plan.fallback_tool_zh : plan.fallback_tool_en},
      {"fallback.location", plan.fallback_location},
  };
}

}  // namespace failsafe::plans
