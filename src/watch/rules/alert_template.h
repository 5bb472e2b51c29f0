#pragma once
// Alert label and annotation templates: the part of Prometheus's Go text/template language
// that rule files use. Anything else (if, range, define, other functions) is refused when the
// rule file is loaded, with the position inside the template.
//
//   {{ $labels.instance }}  {{ .Labels.instance }}   a label of the alert's series ("" if absent)
//   {{ $value }}            {{ .Value }}             the sample value, formatted as Go's %v
//   {{ $value | humanize }}  humanize1024  humanizePercentage  humanizeDuration
//   {{ humanize $value }}   {{ printf "%.1f" $value }}   {{ $labels.job | toUpper }}  toLower
//   "quoted strings" and numbers as operands; {{- and -}} trim the spaces around an action.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/metrics/series.h"

namespace failsafe::watch::rules {

class AlertTemplate {
 public:
  // Fails with "line:col: message" (1-based, inside `text`).
  static Result<AlertTemplate> Parse(std::string_view text);

  std::string Render(const Labels& labels, double value) const;
  // True when the text has no actions (a constant label needs no rendering).
  bool is_constant() const;

  struct Part;  // literal text or one action (template.cc)

 private:
  std::shared_ptr<const std::vector<Part>> parts_;
};

// Prometheus's template functions, for tests and for callers that format values themselves.
std::string GoFloat(double v);  // Go's %v of a float64
std::string Humanize(double v);
std::string Humanize1024(double v);
std::string HumanizePercentage(double v);
std::string HumanizeDuration(double seconds);

}  // namespace failsafe::watch::rules
