#pragma once
// Values carried between the steps of a multi-step HTTP check: {{name}} references in a later
// step's URL, headers and body, and the extraction of those values from an earlier answer.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/probes/http_exchange.h"
#include "watch/probes/probe_spec.h"

namespace failsafe::watch::probes {

using StepValues = std::map<std::string, std::string, std::less<>>;

// Names referenced as {{name}} (spaces inside the braces allowed). Fails naming `field` on an
// unterminated "{{" or a name that is not [A-Za-z_][A-Za-z0-9_]*.
Result<std::vector<std::string>> ReferencedNames(std::string_view text, const std::string& field);

// Replaces each {{name}} by its value. Call only on text ReferencedNames accepted and whose
// names are all in `values` (the config check guarantees it); anything else is copied as is.
std::string Substitute(std::string_view text, const StepValues& values);

// The step's request with every {{name}} replaced.
HttpRequestSpec SubstituteRequest(const HttpRequestSpec& request, const StepValues& values);

// Takes one value from an answer. Errors say what was not found ("JSON pointer /data/token
// not found in the body").
Result<std::string> Extract(const Extraction& how, const HttpAnswer& answer);

}  // namespace failsafe::watch::probes
