// Fuzzes the plan YAML importer: any input must give a plan or an error naming its line, never
// a crash, a hang or an exception escaping. A plan that parses must also export to YAML that
// parses back to the same export (the round trip `failsafe plan export` promises).
#include <cstddef>
#include <cstdint>
#include <string>

#include "plans/plan_yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto plan = failsafe::plans::ParsePlanYaml(text, "fuzz.yaml");
  if (!plan) {
    if (plan.error().message().rfind("fuzz.yaml", 0) != 0) __builtin_trap();  // names the file
    return 0;
  }
  const std::string once = failsafe::plans::EmitPlanYaml(*plan);
  auto again = failsafe::plans::ParsePlanYaml(once, "export.yaml");
  if (!again) __builtin_trap();
  if (failsafe::plans::EmitPlanYaml(*again) != once) __builtin_trap();
  return 0;
}
