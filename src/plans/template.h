#pragma once
// Communication templates: text with {{variable}} placeholders, used by plans (checked at
// import), incidents and notify (rendered when a status update or a page is sent).
//
// Syntax:
//   {{name}}          a variable; `name` is dotted lower-case words ([a-z_][a-z0-9_]* joined
//                     by '.'), spaces allowed inside the braces: {{ incident.title }}.
//   \{{               a literal "{{" (the backslash is dropped). A backslash anywhere else is
//                     kept as is; a lone "}}" is literal text.
// Only names in KnownTemplateVariables() are allowed.
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "base/status.h"

namespace failsafe::plans {

using TemplateVars = std::map<std::string, std::string>;

// incident.id, incident.title, incident.severity, incident.severity_name, incident.status,
// incident.services, incident.url, incident.started_at, incident.commander, plan.key,
// plan.title, plan.version, eta, message, now, fallback.tool, fallback.location, ...
const std::set<std::string>& KnownTemplateVariables();

// OK when `text` is well formed and uses only known variables; otherwise InvalidArgument whose
// message names the problem ("unknown template variable 'incident.foo'", "unterminated '{{'").
// When `error_offset` is given it receives the byte offset of the offending "{{".
Status CheckTemplate(std::string_view text, size_t* error_offset = nullptr);

// Substitutes `vars`; a variable missing from `vars` renders as empty. Never fails: text that
// CheckTemplate would reject (bad syntax) is copied literally, so rendering untrusted text is
// safe.
std::string RenderTemplate(std::string_view text, const TemplateVars& vars);

}  // namespace failsafe::plans
